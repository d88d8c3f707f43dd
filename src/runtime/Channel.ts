import type { ChannelRef, Message } from './protocol.js';
import { DEFAULT_MESSAGE_NS, type Transport } from './Transport.js';
import type { Target } from './sinks.js';

/**
 * Buffers of all-number batches that receivers moved back (threads), or that a transport
 * copied as it sent them (MQTT), for this thread's channels to fill again, in this run and
 * the next: writing a fresh 32 KiB buffer cost a producer 0.1-0.2 ms a batch here (new
 * memory), a refilled one next to nothing. At most
 * {@link SPARE_BYTES} are kept (64 batches of the default 4,096 numbers).
 */
const spareBuffers: ArrayBuffer[] = [];
const SPARE_BYTES = 2 << 20;
let spareBytes = 0;

/** @internal Keeps a batch buffer a receiver moved back, for a later batch of this thread. */
export function giveBatchBuffer(buffer: ArrayBuffer): void {
  if (spareBytes + buffer.byteLength > SPARE_BYTES) return;
  spareBuffers.push(buffer);
  spareBytes += buffer.byteLength;
}

/** A buffer for a batch of `size` numbers: a spare one if there is one of that size. */
function batchBuffer(size: number): Float64Array {
  for (let i = spareBuffers.length - 1; i >= 0; i--) {
    if (spareBuffers[i]!.byteLength === size * 8) {
      const buffer = spareBuffers[i]!;
      spareBuffers[i] = spareBuffers[spareBuffers.length - 1]!;
      spareBuffers.pop();
      spareBytes -= buffer.byteLength;
      return new Float64Array(buffer);
    }
  }
  return new Float64Array(size);
}

/** Flush a batch at this many bytes of typed-array payload, whatever its item count. */
const MAX_BATCH_BYTES = 1 << 20;

/**
 * The latency estimate follows the slowest trips and forgets them slowly (by this factor a
 * credit): a broker that delays some messages by tens of milliseconds (Mosquitto with Nagle's
 * algorithm and delayed ACKs) must not look as fast as its quick trips, or a receiver given only
 * that much work runs dry at every delay.
 */
const LATENCY_DECAY = 0.95;

/**
 * Work (ns) a receiver may have ahead of it beyond what covers the trip (see
 * {@link Channel.coverNs}).
 */
const COVER_SLACK_NS = 1_000_000;

/**
 * How many trips ({@link Channel.latencyNs}) of work a receiver should have ahead of it not to run
 * dry while the next batch travels and the sender's turn ends (see {@link Channel.coverNs}).
 */
const LATENCY_COVER = 2;

/**
 * A costly receiver's cover ({@link Channel.coverNs}) goes in at least this many batches. A
 * receiver learns of more work, and its sender of its progress, a batch at a time: when one
 * batch was the whole cover (W3 over MPI: 3,000-4,000 items, 18 ms of work, one credit), the
 * sender topped the receiver up only after it had drained, and it idled about 1.2 ms a batch,
 * a fifth of the run.
 */
const COVER_BATCHES = 4;

/**
 * A batch cut for a costly receiver still holds this many times a message's cost in work
 * ({@link Transport.messageNs}): a message through an MQTT broker costs about 0.3 ms, and W3
 * cut into quarters of its cover lost 4% of its throughput to them.
 */
const MESSAGE_SHARE = 50;

/** The fewest items a batch is cut at for a costly receiver. */
const MIN_FILL = 16;

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
export class Channel implements Target {
  // A batch starts as numbers written straight into a Float64Array (the common case, and the
  // cheapest to send: the buffer is moved); the first item that is not a number turns the
  // batch into an array of items.
  private numbers: Float64Array;
  private items: unknown[] | undefined;
  private count = 0;
  private bytes = 0;
  private readonly queue: { message: Message; transfer: ArrayBuffer[]; data: boolean }[] = [];
  /**
   * Each data message in flight or queued, oldest first (from {@link outHead}): its items, when
   * it was sent (ms), and the items ahead of the receiver then, its own included.
   */
  private readonly out: { readonly items: number; readonly at: number; readonly ahead: number }[] =
    [];
  private outHead = 0;
  private itemsOut = 0;
  /** When the last credit came back (performance.now(), ms); 0: none yet. */
  private grantedAt = 0;
  /** What an item costs the receiver (ns), a moving average of what its credits say; 0: unknown. */
  private itemNs = 0;
  /** Binary payload bytes an item carries, a moving average over the batches sent. */
  private itemBytes = 0;
  /** See {@link Channel.latencyNs}. */
  private latency = 0;
  /** Items at which a batch is sent: {@link batchSize}, or fewer for a costly receiver. */
  private fill: number;
  private readonly ref: ChannelRef;
  /** Data messages this channel may have in flight (its credits when nothing is). */
  readonly window: number;

  constructor(
    private readonly transport: Transport,
    private readonly run: string,
    /** The endpoint that runs the receiving instance. */
    readonly endpoint: number,
    ref: ChannelRef,
    /** Items per batch: a batch this full is sent. */
    readonly batchSize: number,
    private credits: number,
    private readonly onBlocked: () => void,
    private readonly onUnblocked: () => void,
    /** Called when a batch starts: the runtime flushes what is left at the end of its turn. */
    private readonly onStarted: (channel: Channel) => void,
  ) {
    this.ref = { connection: ref.connection, sender: ref.sender, to: ref.to };
    this.window = credits;
    this.fill = batchSize;
    this.numbers = batchBuffer(batchSize);
  }

  /** Whether messages are waiting for credit. */
  get blocked(): boolean {
    return this.queue.length > 0;
  }

  /**
   * Whether the receiver has at most one batch left to process: a partial batch should go
   * now, or it may sit idle. A receiver with more has work, and the batch keeps filling
   * (fewer, fuller messages: over MQTT a producer's 1 ms turns had cut W3's items into
   * 140-item messages, each costing sender, broker and receiver about 0.1 ms).
   */
  get starving(): boolean {
    return this.backlog <= 1;
  }

  /** Items sent and not yet processed by the receiver, queued, or in the batch being filled. */
  get pendingItems(): number {
    return this.itemsOut + this.count;
  }

  /** What an item costs the receiver (ns), as its credits say (a moving average); 0: not known yet. */
  get receiverItemNs(): number {
    return this.itemNs;
  }

  /**
   * How long a batch takes to reach the receiver and its credit to come back (ns), beyond the
   * receiver's work on what was ahead of it and on the batch itself, as credits show it: the
   * slowest recent trip ({@link LATENCY_DECAY}); 0 until a credit comes back. It is how much
   * work a receiver needs queued not to run dry.
   */
  get latencyNs(): number {
    return this.latency;
  }

  /**
   * Work (ns) this channel's receiver should have ahead of it not to run dry: {@link
   * LATENCY_COVER} trips plus {@link COVER_SLACK_NS}; 0 until credits say what a trip takes.
   */
  get coverNs(): number {
    return this.latency === 0 ? 0 : LATENCY_COVER * this.latency + COVER_SLACK_NS;
  }

  /**
   * What moving an item to the receiver costs (ns), as its binary payload and the transport's
   * {@link Transport.byteNs} say; 0 where buffers are moved rather than copied.
   */
  get moveItemNs(): number {
    return this.itemBytes * (this.transport.byteNs ?? 0);
  }

  /**
   * Work (ns) the receiver has ahead of it at `nowMs`, as well as this sender can tell: the
   * items it has not credited, less what it has done since its last credit (it works through
   * its batches in order, and a credit comes only when a whole batch is done), plus the
   * batch being filled; 0 until credits say what an item costs.
   */
  workAheadNs(nowMs: number): number {
    if (this.itemNs === 0) return 0;
    const sent = this.itemsOut * this.itemNs;
    const done = this.grantedAt > 0 ? (nowMs - this.grantedAt) * 1e6 : 0;
    return Math.max(0, sent - done) + this.count * this.itemNs;
  }

  /** Data messages sent and not yet processed by the receiver, or waiting for credit. */
  get backlog(): number {
    return this.window - this.credits + this.queue.length;
  }

  next(item: unknown): void {
    if (this.count === 0) this.onStarted(this);
    if (this.items === undefined && typeof item === 'number') {
      this.numbers[this.count] = item;
    } else {
      const items = (this.items ??= Array.from(this.numbers.subarray(0, this.count)));
      items.push(item);
      if (typeof item === 'object' && item !== null) this.bytes += payloadBytes(item);
    }
    if (++this.count >= this.fill || this.bytes >= MAX_BATCH_BYTES) this.flush();
  }

  /** Sends what is batched (if anything) as one data message, or queues it without credit. */
  flush(): void {
    if (this.count === 0) return;
    const transfer: ArrayBuffer[] = [];
    let items: unknown[] | Float64Array;
    if (this.items === undefined) {
      const buffer = this.numbers.buffer as ArrayBuffer;
      items = new Float64Array(buffer, 0, this.count);
      transfer.push(buffer);
      this.numbers = batchBuffer(this.batchSize);
    } else {
      items = this.items;
      moveTypedArrays(items, transfer);
      this.items = undefined;
    }
    const itemBytes = this.bytes / this.count;
    this.itemBytes = this.itemBytes === 0 ? itemBytes : 0.75 * this.itemBytes + 0.25 * itemBytes;
    this.itemsOut += this.count;
    this.out.push({ items: this.count, at: performance.now(), ahead: this.itemsOut });
    this.count = 0;
    this.bytes = 0;
    this.enqueue(
      { kind: 'data', run: this.run, from: this.transport.self, ...this.ref, items },
      transfer,
      true,
    );
  }

  /** Ends the channel: flushes, then sends the end of stream behind any queued data. */
  endOfStream(): void {
    this.flush();
    this.enqueue({ kind: 'eos', run: this.run, from: this.transport.self, ...this.ref }, [], false);
  }

  /**
   * The receiver granted `messages` more data messages (it processed that many), and said
   * what an item of the last one cost it (`itemNs`), and maybe moved its buffer back.
   */
  grant(messages: number, itemNs?: number, buffer?: ArrayBuffer): void {
    if (buffer) giveBatchBuffer(buffer);
    this.credits += messages;
    if (itemNs !== undefined)
      this.itemNs = this.itemNs === 0 ? itemNs : 0.75 * this.itemNs + 0.25 * itemNs;
    const now = performance.now();
    if (messages > 0) this.grantedAt = now;
    for (let m = 0; m < messages && this.outHead < this.out.length; m++) {
      const sent = this.out[this.outHead++]!;
      this.itemsOut -= sent.items;
      if (this.itemNs > 0) {
        const sample = Math.max(0, (now - sent.at) * 1e6 - sent.ahead * this.itemNs);
        this.latency = Math.max(sample, this.latency * LATENCY_DECAY);
      }
    }
    // A costly receiver gets its cover in several batches (see COVER_BATCHES).
    if (this.itemNs > 0 && this.latency > 0) {
      const items =
        Math.max(
          this.coverNs / COVER_BATCHES,
          MESSAGE_SHARE * (this.transport.messageNs ?? DEFAULT_MESSAGE_NS),
        ) / this.itemNs;
      this.fill = Math.min(this.batchSize, Math.max(MIN_FILL, Math.floor(items)));
    }
    if (this.outHead >= 64 && this.outHead * 2 >= this.out.length) {
      this.out.splice(0, this.outHead);
      this.outHead = 0;
    }
    const wasBlocked = this.blocked;
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.data) {
        if (this.credits <= 0) return;
        this.credits--;
      }
      this.queue.shift();
      this.send(head.message, head.transfer);
    }
    if (wasBlocked) this.onUnblocked();
    // A partial batch held back while the receiver had work goes when it is about to run dry.
    if (this.count > 0 && this.starving && !this.blocked) this.flush();
  }

  private send(message: Message, transfer: ArrayBuffer[]): void {
    this.transport.send(this.endpoint, message, transfer);
    // A transport that copied the batch as it sent it: its buffer is free to fill again.
    if (
      this.transport.copiesOnSend &&
      message.kind === 'data' &&
      message.items instanceof Float64Array
    )
      giveBatchBuffer(message.items.buffer as ArrayBuffer);
  }

  private enqueue(message: Message, transfer: ArrayBuffer[], data: boolean): void {
    if (this.queue.length === 0 && (!data || this.credits > 0)) {
      if (data) this.credits--;
      this.send(message, transfer);
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
    if (typeof value === 'object' && value !== null && ArrayBuffer.isView(value))
      bytes += value.byteLength;
  }
  return bytes;
}

/**
 * Typed arrays whose buffer is theirs alone are moved, not copied, as items or as fields of
 * items (one level down) — the writer gave them to the stream and must not use them after
 * writing.
 */
function moveTypedArrays(items: readonly unknown[], transfer: ArrayBuffer[]): void {
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    if (ArrayBuffer.isView(item)) {
      move(item, transfer);
      continue;
    }
    const values = Array.isArray(item) ? item : Object.values(item);
    if (values.length > 16) continue;
    for (const value of values) {
      if (typeof value === 'object' && value !== null && ArrayBuffer.isView(value))
        move(value, transfer);
    }
  }
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
