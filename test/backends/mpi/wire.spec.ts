import { describe, expect, it } from 'vitest';
import { decodeMessage, decodeMessageViews, encodeMessage } from '../../../backends/mpi/wire.js';
import type { Message } from '../../../src/runtime/protocol.js';

/** What the receiver gets: the parts in one contiguous, 8-byte aligned message, as MPI delivers them. */
function roundTrip(message: Message, transfer?: ArrayBuffer[]): Message {
  const parts = encodeMessage(message, transfer);
  const length = parts.reduce((n, p) => n + p.byteLength, 0);
  const bytes = new Uint8Array(new ArrayBuffer(length));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return decodeMessage(bytes);
}

const ref = { run: 'run-1', from: 2, connection: 3, sender: 1, to: 0 } as const;

describe('mpi wire codec', () => {
  it('round-trips credits, ends of stream and number batches in the fixed layout', () => {
    expect(roundTrip({ kind: 'credit', ...ref, messages: 5 })).toEqual({
      kind: 'credit',
      ...ref,
      messages: 5,
    });
    expect(roundTrip({ kind: 'credit', ...ref, messages: 1, itemNs: 3500 })).toEqual({
      kind: 'credit',
      ...ref,
      messages: 1,
      itemNs: 3500,
    });
    expect(roundTrip({ kind: 'eos', ...ref })).toEqual({ kind: 'eos', ...ref });
    const items = new Float64Array([1.5, -2, Number.NaN, 1e300]);
    const back = roundTrip({ kind: 'data', ...ref, items }, [items.buffer]);
    expect(back).toMatchObject({ kind: 'data', ...ref });
    expect((back as { items: Float64Array }).items).toEqual(items);
  });

  it('keeps structured-clone values: Map, Set, BigInt, Date, RegExp, nested typed arrays', () => {
    const items = [
      new Map<unknown, unknown>([
        ['a', 1],
        [2, new Set(['x'])],
      ]),
      12345678901234567890n,
      new Date(86_400_000),
      /ab+c/gi,
      { t: 1, samples: new Float64Array(1000).fill(0.25), tags: new Uint8Array([1, 2, 3]) },
      Buffer.from('hello'),
      [undefined, null, 'text', -0],
    ];
    const transfer = [(items[4] as { samples: Float64Array }).samples.buffer as ArrayBuffer];
    const back = roundTrip({ kind: 'data', ...ref, items }, transfer) as unknown as {
      items: unknown[];
    };
    expect(back.items).toEqual(items);
    expect(Buffer.isBuffer(back.items[5])).toBe(true);
  });

  it('sends given-up typed arrays as separate aligned parts, and views them without a copy', () => {
    const samples = new Float64Array(4096).map((_, i) => i);
    const parts = encodeMessage({ kind: 'data', ...ref, items: [{ t: 7, samples }] }, [
      samples.buffer,
    ]);
    // The samples travel as their own memory, not inside the serialised header.
    expect(parts.some((p) => p.buffer === samples.buffer)).toBe(true);
    const length = parts.reduce((n, p) => n + p.byteLength, 0);
    const bytes = new Uint8Array(new ArrayBuffer(length));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.byteLength;
    }
    const { message, views } = decodeMessageViews(bytes);
    // The receiver must keep the message's memory while such views live.
    expect(views).toBe(true);
    const back = message as unknown as { items: { samples: Float64Array }[] };
    expect(back.items[0]!.samples.buffer).toBe(bytes.buffer);
    expect(back.items[0]!.samples.byteOffset % 8).toBe(0);
    expect(back.items[0]!.samples).toEqual(samples);
  });

  it('copies typed arrays the sender did not give up, so later changes do not leak', () => {
    const samples = new Float64Array(1024).fill(1);
    const parts = encodeMessage({ kind: 'data', ...ref, items: [samples] });
    samples.fill(2);
    const bytes = Buffer.concat(parts);
    const aligned = new Uint8Array(new ArrayBuffer(bytes.length));
    aligned.set(bytes);
    const { message, views } = decodeMessageViews(aligned);
    expect((message as unknown as { items: Float64Array[] }).items[0]![0]).toBe(1);
    // A 1024-sample array is a part, viewed in place; small values are copied out.
    expect(views).toBe(true);
    const small = decodeMessageViews(
      Buffer.concat(encodeMessage({ kind: 'data', ...ref, items: ['a', new Uint8Array(4)] })),
    );
    expect(small.views).toBe(false);
  });

  it('decodes from unaligned memory (a socket chunk) by copying', () => {
    const items = new Float64Array([1, 2, 3]);
    const parts = encodeMessage({ kind: 'data', ...ref, items }, [items.buffer]);
    const bytes = Buffer.concat([Buffer.alloc(3), ...parts]).subarray(3);
    expect((decodeMessage(bytes) as { items: Float64Array }).items).toEqual(
      new Float64Array([1, 2, 3]),
    );
  });
});
