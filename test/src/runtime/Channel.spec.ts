import { describe, expect, it, vi } from 'vitest';
import type { Message } from '../../../src/runtime/protocol.js';
import { recordingChannel as channel, type Sent } from '../../helpers/channels.js';

const itemsOf = (s: Sent): Float64Array =>
  (s.message as Extract<Message, { kind: 'data' }>).items as Float64Array;

describe('Channel', () => {
  it('sends all-number batches as Float64Arrays whose buffer it gives up', () => {
    const { channel: c, sent } = channel(4, 8);
    for (let i = 0; i < 6; i++) c.next(i);
    c.endOfStream();
    expect(sent.map((s) => s.message.kind)).toEqual(['data', 'data', 'eos']);
    expect([...itemsOf(sent[0]!)]).toEqual([0, 1, 2, 3]);
    expect([...itemsOf(sent[1]!)]).toEqual([4, 5]);
    expect(sent[0]!.transfer).toEqual([itemsOf(sent[0]!).buffer]);
  });

  it('fills a buffer the receiver moved back with its credit again, instead of a new one', () => {
    const { channel: c, sent } = channel(4, 8);
    for (let i = 0; i < 8; i++) c.next(i); // two full batches: the second batch is in a new buffer
    const returned = new ArrayBuffer(4 * 8); // the receiver's credit moved the first back
    c.grant(1, 100, returned);
    for (let i = 8; i < 16; i++) c.next(i);
    const buffers = sent.map((s) => itemsOf(s).buffer);
    expect(buffers[3]).toBe(returned); // the batch started after the credit
    expect([...itemsOf(sent[3]!)]).toEqual([12, 13, 14, 15]);
  });

  it('fills the same buffer again when the transport copied the batch as it sent it', () => {
    const { channel: c, sent } = channel(4, 8, true);
    const buffers: ArrayBufferLike[] = [];
    const spy = c as unknown as { numbers: Float64Array };
    for (let i = 0; i < 24; i++) {
      if (i % 4 === 0) buffers.push(spy.numbers.buffer);
      c.next(i);
    }
    // The next batch's buffer is taken before the full one is sent: two take turns.
    expect(new Set(buffers).size).toBeLessThanOrEqual(2);
    expect(sent.map((s) => [...itemsOf(s)])).toEqual(
      Array.from({ length: 6 }, (_, b) => [4 * b, 4 * b + 1, 4 * b + 2, 4 * b + 3]),
    );
  });

  it("measures a batch's trip and its credit's beyond the receiver's work on what was ahead of it, keeping the slowest recent one", () => {
    const now = vi.spyOn(performance, 'now');
    try {
      let ms = 0;
      now.mockImplementation(() => ms);
      const { channel: c } = channel(2, 8);
      expect(c.latencyNs).toBe(0); // no credit yet
      for (let i = 0; i < 4; i++) c.next(i); // two batches sent at 0 ms: 2, then 4 items ahead
      ms = 10;
      c.grant(1, 1_000_000); // 1 ms an item: the first batch was 2 ms of work, back at 10 ms
      expect(c.latencyNs).toBeCloseTo(8e6, -3);
      ms = 11;
      c.grant(1, 1_000_000); // 11 ms - 4 ms of work: 7 ms, below the slowest so far
      expect(c.latencyNs).toBeCloseTo(Math.max(7e6, 8e6 * 0.95), -3);
    } finally {
      now.mockRestore();
    }
  });

  it('counts what the receiver has not processed yet: items in flight and in the open batch', () => {
    const { channel: c } = channel(4, 8);
    for (let i = 0; i < 6; i++) c.next(i);
    expect(c.pendingItems).toBe(6);
    expect(c.backlog).toBe(1);
    c.grant(1, 2500);
    expect(c.pendingItems).toBe(2);
    expect(c.receiverItemNs).toBe(2500);
    expect(c.starving).toBe(true);
  });

  /**
   * A channel of 4,096-item batches whose first batch, one item sent at 0 ms, came back at 2 ms
   * with a credit saying an item costs the receiver `itemNs`: a trip of about 2 ms. Returns it
   * with what it has sent (that batch).
   */
  function afterOneTrip(itemNs: number): ReturnType<typeof channel> {
    const now = vi.spyOn(performance, 'now');
    try {
      now.mockReturnValue(0);
      const sending = channel(4096, 16);
      sending.channel.next(0);
      sending.channel.flush();
      now.mockReturnValue(2);
      sending.channel.grant(1, itemNs);
      return sending;
    } finally {
      now.mockRestore();
    }
  }

  it('cuts batches for a costly receiver so its cover (twice the trip plus 1 ms) goes in 4 batches', () => {
    const { channel: c, sent } = afterOneTrip(10_000); // 10 us an item: a trip of 1.99 ms
    expect(c.coverNs).toBeCloseTo(2 * 1.99e6 + 1e6, -3);
    // 4.98 ms of cover at 10 us an item, in 4 batches: 124 items each, not 4096.
    for (let i = 0; i < 123; i++) c.next(i);
    expect(sent).toHaveLength(1);
    c.next(123);
    expect(sent).toHaveLength(2);
    expect(itemsOf(sent[1]!)).toHaveLength(124);
  });

  it('keeps full batches for a cheap receiver', () => {
    const { channel: c, sent } = afterOneTrip(50); // 4.98 ms of cover is far more than a batch
    for (let i = 0; i < 4095; i++) c.next(i);
    expect(sent).toHaveLength(1);
    c.next(4095);
    expect(sent).toHaveLength(2);
  });
});
