import type { ChannelRef, Message } from './protocol.js';
import type { Transport } from './Transport.js';

/** Flush a batch at this many bytes of typed-array payload, whatever its item count. */
const MAX_BATCH_BYTES = 1 << 20;

/**
 * @internal The sending end of a channel (one connection, one sending instance, one remote
 * receiving instance): items are batched, and each batch is a data message that spends one
 * credit.
 *
 * Flow control: the receiver returns a credit when it has processed a message, and defers
 * processing (so, credits) while the instances it would feed are themselves blocked. Messages
 * that find no credit wait here, in order, with the end of stream behind them (which needs
 * no credit but must not overtake data); while any wait, {@link Channel.blocked} is true and
 * the runtime pauses whatever feeds this channel — producers stop pulling, receivers stop
 * processing — so memory stays bounded from the slowest PE back to the producers.
 */
export class Channel {
  private items: unknown[] = [];
  private bytes = 0;
  private readonly queue: { message: Message; transfer: ArrayBuffer[]; data: boolean }[] = [];
  private readonly ref: ChannelRef;

  constructor(
    private readonly transport: Transport,
    private readonly run: string,
    /** The endpoint that runs the receiving instance. */
    readonly endpoint: number,
    ref: ChannelRef,
    private readonly batchSize: number,
    private credits: number,
    private readonly onBlocked: () => void,
    private readonly onUnblocked: () => void,
  ) {
    this.ref = { connection: ref.connection, sender: ref.sender, to: ref.to };
  }

  /** Whether messages are waiting for credit. */
  get blocked(): boolean {
    return this.queue.length > 0;
  }

  /** Whether items are batched and not yet sent. */
  get pending(): boolean {
    return this.items.length > 0;
  }

  push(item: unknown): void {
    this.items.push(item);
    if (typeof item === 'object' && item !== null) this.bytes += payloadBytes(item);
    if (this.items.length >= this.batchSize || this.bytes >= MAX_BATCH_BYTES) this.flush();
  }

  /** Sends what is batched (if anything) as one data message, or queues it without credit. */
  flush(): void {
    if (this.items.length === 0) return;
    const transfer: ArrayBuffer[] = [];
    const items = pack(this.items, transfer);
    this.items = [];
    this.bytes = 0;
    this.enqueue({ kind: 'data', run: this.run, from: this.transport.self, ...this.ref, items }, transfer, true);
  }

  /** Ends the channel: flushes, then sends the end of stream behind any queued data. */
  end(): void {
    this.flush();
    this.enqueue({ kind: 'eos', run: this.run, from: this.transport.self, ...this.ref }, [], false);
  }

  /** The receiver granted `messages` more data messages. */
  grant(messages: number): void {
    this.credits += messages;
    const wasBlocked = this.blocked;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.data) {
        if (this.credits <= 0) return;
        this.credits--;
      }
      this.queue.shift();
      this.transport.send(this.endpoint, head.message, head.transfer);
    }
    if (wasBlocked) this.onUnblocked();
  }

  private enqueue(message: Message, transfer: ArrayBuffer[], data: boolean): void {
    if (this.queue.length === 0 && (!data || this.credits > 0)) {
      if (data) this.credits--;
      this.transport.send(this.endpoint, message, transfer);
      return;
    }
    this.queue.push({ message, transfer, data });
    if (this.queue.length === 1) this.onBlocked();
  }
}

/**
 * Bytes of binary payload an object item carries: its own typed-array bytes, or those of the
 * typed arrays among its fields or elements (one level down: `{ t, samples }`). Batches are
 * cut by these bytes too, so large payloads flow in pipelined messages of about 1 MiB.
 */
function payloadBytes(item: object): number {
  if (ArrayBuffer.isView(item)) return item.byteLength;
  let bytes = 0;
  const values = Array.isArray(item) ? item : Object.values(item);
  if (values.length > 16) return 0;
  for (const value of values) {
    if (typeof value === 'object' && value !== null && ArrayBuffer.isView(value)) bytes += value.byteLength;
  }
  return bytes;
}

/**
 * A batch ready to send: an all-number batch becomes a Float64Array (moved, not copied:
 * 8 bytes an item instead of a structured clone of each). Typed arrays whose buffer is theirs
 * alone are moved too, as items or as fields of items (one level down) — the writer gave
 * them to the stream and must not use them after writing.
 */
function pack(items: unknown[], transfer: ArrayBuffer[]): unknown[] | Float64Array {
  let numbers = true;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'number') continue;
    numbers = false;
    if (typeof item !== 'object' || item === null) continue;
    if (ArrayBuffer.isView(item)) {
      move(item, transfer);
      continue;
    }
    const values = Array.isArray(item) ? item : Object.values(item);
    if (values.length > 16) continue;
    for (const value of values) {
      if (typeof value === 'object' && value !== null && ArrayBuffer.isView(value)) move(value, transfer);
    }
  }
  if (!numbers) return items;
  const packed = Float64Array.from(items as number[]);
  transfer.push(packed.buffer);
  return packed;
}

function move(view: ArrayBufferView, transfer: ArrayBuffer[]): void {
  const { buffer } = view;
  if (
    buffer instanceof ArrayBuffer &&
    view.byteOffset === 0 &&
    view.byteLength === buffer.byteLength &&
    !transfer.includes(buffer)
  ) {
    transfer.push(buffer);
  }
}
