import { deserialize, serialize } from 'node:v8';
import { BackendError } from '../../src/errors.js';
import type { WorkflowGraph } from '../../src/graph/WorkflowGraph.js';
import { COORDINATOR, type Message } from '../../src/runtime/protocol.js';
import type { Transport } from '../../src/runtime/Transport.js';
import type { MqttLink } from './MqttLink.js';
import type { Topics } from './topics.js';

/**
 * What travels in one MQTT message of a run: a protocol message with its sender and a
 * sequence number per (sender, receiver) pair, or a sync giving the last sequence number the
 * sender has sent to this receiver (how a lost tail of messages is noticed).
 */
type Envelope =
  /** a message, and (`a`) everything below `a` from you arrived. */
  | { readonly f: number; readonly s: number; readonly m: Message; readonly a?: number }
  /** sync: the last number sent to you (`h`), and everything below `a` from you arrived. */
  | { readonly f: number; readonly h: number; readonly a: number }
  /** resend request: please send again what you sent me from number `r` on. */
  | { readonly f: number; readonly r: number };

/** Incoming messages are applied for this long before the event loop is let in. */
const SLICE_MS = 10;

/** A gap open this long is asked for again (and again, each time this passes). */
const RESEND_AFTER_MS = 700;

const KINDS = new Set<string>([
  'ready',
  'start',
  'data',
  'eos',
  'credit',
  'result',
  'done',
  'error',
  'stop',
  'heartbeat',
]);

/** Options of {@link MqttTransport}. */
export interface MqttTransportOptions {
  readonly self: number;
  readonly run: string;
  readonly link: MqttLink;
  readonly topics: Topics;
  readonly graph: WorkflowGraph;
  /** Worker endpoints of the run (0 .. workers-1; the coordinator is COORDINATOR). */
  readonly workers: number;
  /** Endpoints this one syncs with every second even before sending them anything. */
  readonly peers: readonly number[];
  readonly maxMessageBytes: number;
  /** A message missing this long behind later ones (or a sync) counts as lost. */
  readonly gapTimeoutMs: number;
  /** Messages from `from` were lost: the run cannot go on without loss. */
  readonly onLoss: (from: number, reason: string) => void;
  readonly log: (line: string) => void;
}

/** @internal What one message through the broker costs sender, broker and receiver together (ns). */
export const MQTT_MESSAGE_NS = 300_000;

/**
 * @internal What a byte of binary payload through the broker costs sender, broker and receiver
 * together (ns), about: v8's serialiser, mqtt.js's packet, the broker and the receiver each
 * copy it. W5's 64 KiB traces on 2 embedded nodes ran at 81-105 MB/s, about 12 ns a byte all
 * told, where one node made 833 MB/s.
 */
export const MQTT_BYTE_NS = 4;

/**
 * @internal One endpoint of one run over MQTT: the runtime's {@link Transport}.
 *
 * Each message is v8-serialised (typed arrays as raw bytes, Map, Set, BigInt, Date kept) in
 * an envelope with a sequence number per (sender, receiver), and published at QoS 1 on the
 * receiver's topic (data and end of stream per receiving PE instance). QoS 1 may deliver a
 * message twice (a publish resent after a reconnect), and a broker may drop one (Mosquitto
 * drops QoS 1 messages past a client's queue limit) or reorder across a reconnect: the
 * receiver applies each sequence number once, in order, and holds early ones until the gap
 * fills. Every message also says the number its sender expects next from its receiver (an
 * acknowledgement: a sender keeps every message until it is acknowledged, and credits flow
 * back all the time, so a sender holds about a round trip of its data — W5's traces over MQTT
 * were kept half a second, tens of MB, when only syncs acknowledged). Twice a second each
 * endpoint sends each peer a sync: the last number it sent there (so a lost last message is
 * noticed too) and the number it expects next from there. A gap open
 * for 0.7 s is asked for again, and the sender sends it again — so a message the broker
 * dropped (a full queue, a restart) is recovered; one still missing after `gapTimeoutMs` is
 * reported as a loss and the run fails loudly instead of losing items. The coordinator's
 * syncs also tell a node its coordinator is alive.
 *
 * Malformed or oversized messages are dropped with a logged reason; they never throw.
 */
export class MqttTransport implements Transport {
  readonly self: number;
  /** `send` serialises the message before it returns. */
  readonly copiesOnSend = true;
  /** About 0.1 ms each for sender, broker and receiver. */
  readonly messageNs = MQTT_MESSAGE_NS;
  readonly byteNs = MQTT_BYTE_NS;
  private handler: (message: Message) => void = () => undefined;
  private readonly sent = new Map<number, number>();
  private readonly next = new Map<number, number>();
  private readonly early = new Map<number, Map<number, Message>>();
  private readonly announced = new Map<number, number>();
  private readonly gapSince = new Map<number, number>();
  private readonly askedAt = new Map<number, number>();
  /** Per receiver: what was sent and not yet acknowledged (kept to send again). */
  private readonly unacked = new Map<number, Map<number, { topic: string; payload: Buffer }>>();
  private readonly heard = new Map<number, number>();
  private readonly timer: ReturnType<typeof setInterval>;
  private closed = false;
  private readonly inbox: Envelope[] = [];
  private draining = false;
  /** Called with every message this endpoint sends (the node watches for done / error). */
  onSend?: (to: number, message: Message) => void;
  /** Called with every message after the runtime has handled it (the node watches for stop). */
  onReceive?: (message: Message) => void;

  constructor(private readonly options: MqttTransportOptions) {
    this.self = options.self;
    for (const peer of options.peers) this.sent.set(peer, this.sent.get(peer) ?? 0);
    this.timer = setInterval(() => this.tick(), 500);
    this.timer.unref();
  }

  send(to: number, message: Message): void {
    if (this.closed) return;
    const s = this.sent.get(to) ?? 0;
    this.sent.set(to, s + 1);
    let payload: Buffer;
    try {
      payload = serialize({
        f: this.self,
        s,
        m: message,
        a: this.next.get(to) ?? 0,
      } satisfies Envelope);
    } catch (error) {
      throw new BackendError(
        'mqtt',
        `cannot serialise a ${message.kind} message: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (payload.length > this.options.maxMessageBytes) {
      throw new BackendError(
        'mqtt',
        `a ${message.kind} message of ${payload.length} bytes is over maxMessageBytes (${this.options.maxMessageBytes}): use a smaller batchSize or raise maxMessageBytes (and the broker's message_size_limit)`,
      );
    }
    const topic =
      message.kind === 'data' || message.kind === 'eos'
        ? this.options.topics.input(
            this.options.run,
            to,
            this.options.graph.connections[message.connection]?.to.pe ?? '?',
            message.to,
          )
        : this.options.topics.endpoint(this.options.run, to);
    let unacked = this.unacked.get(to);
    if (!unacked) {
      unacked = new Map();
      this.unacked.set(to, unacked);
    }
    unacked.set(s, { topic, payload });
    this.options.link.publish(topic, payload);
    this.onSend?.(to, message);
  }

  onMessage(handler: (message: Message) => void): void {
    this.handler = handler;
  }

  /** Hands `message` to the runtime as if it had arrived (the node's `assign`). */
  inject(message: Message): void {
    if (!this.closed) this.handler(message);
  }

  /** When a message from `endpoint` last arrived (ms since epoch), or undefined. */
  lastHeard(endpoint: number): number | undefined {
    return this.heard.get(endpoint);
  }

  /** Handles one MQTT message on this endpoint's topics. */
  deliver(topic: string, payload: Buffer): void {
    if (this.closed) return;
    const envelope = this.decode(topic, payload);
    if (!envelope) return;
    this.heard.set(envelope.f, Date.now());
    // Why an inbox: mqtt.js hands over every packet it has parsed in one run of
    // process.nextTick callbacks, so a burst of batches (up to the credit window on every
    // channel) would be processed without the event loop ever reaching its timers — the
    // node's heartbeats would stop while it is busiest. Messages are applied in arrival
    // order, in slices of SLICE_MS, with the event loop let in between; the inbox is bounded
    // by the credits.
    this.inbox.push(envelope);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    const until = performance.now() + SLICE_MS;
    let i = 0;
    while (i < this.inbox.length && !this.closed) {
      this.handle(this.inbox[i++]!);
      if (performance.now() > until) break;
    }
    this.inbox.splice(0, i);
    if (this.inbox.length > 0 && !this.closed) setImmediate(() => this.drain());
    else this.draining = false;
  }

  private handle(envelope: Envelope): void {
    const { f } = envelope;
    const next = this.next.get(f) ?? 0;
    if ('r' in envelope) {
      this.resend(f, envelope.r);
      return;
    }
    if ('h' in envelope) {
      this.acknowledged(f, envelope.a);
      this.announced.set(f, Math.max(this.announced.get(f) ?? -1, envelope.h));
      this.checkGap(f);
      return;
    }
    if (envelope.a !== undefined) this.acknowledged(f, envelope.a);
    if (envelope.s < next) return; // a redelivered message, applied already
    if (envelope.s > next) {
      const early = this.early.get(f) ?? new Map<number, Message>();
      this.early.set(f, early);
      early.set(envelope.s, envelope.m);
      this.checkGap(f);
      return;
    }
    this.apply(f, envelope.m);
    const early = this.early.get(f);
    let n = next + 1;
    while (early?.has(n)) {
      const m = early.get(n)!;
      early.delete(n);
      this.apply(f, m);
      n++;
    }
    this.checkGap(f);
  }

  /** `peer` has everything this endpoint sent it below number `below`: no need to keep it. */
  private acknowledged(peer: number, below: number): void {
    const unacked = this.unacked.get(peer);
    if (!unacked || unacked.size === 0) return;
    // Kept in the order sent (a Map iterates in insertion order): drop from the front.
    for (const seq of unacked.keys()) {
      if (seq >= below) break;
      unacked.delete(seq);
    }
  }

  private apply(from: number, message: Message): void {
    this.next.set(from, (this.next.get(from) ?? 0) + 1);
    if (this.closed) return;
    this.handler(message);
    this.onReceive?.(message);
  }

  private checkGap(from: number): void {
    const next = this.next.get(from) ?? 0;
    const open = (this.early.get(from)?.size ?? 0) > 0 || (this.announced.get(from) ?? -1) >= next;
    if (!open) {
      this.gapSince.delete(from);
      this.askedAt.delete(from);
    } else if (!this.gapSince.has(from)) this.gapSince.set(from, Date.now());
  }

  /** The peer `to` asks again for what was sent to it from number `from` on. */
  private resend(to: number, from: number): void {
    const unacked = this.unacked.get(to);
    if (!unacked) return;
    for (const [seq, { topic, payload }] of [...unacked].sort((a, b) => a[0] - b[0])) {
      if (seq >= from) this.options.link.publish(topic, payload);
    }
  }

  private tick(): void {
    if (this.closed) return;
    const peers = new Set([...this.sent.keys(), ...this.next.keys()]);
    for (const to of peers) {
      const count = this.sent.get(to) ?? 0;
      const payload = serialize({
        f: this.self,
        h: count - 1,
        a: this.next.get(to) ?? 0,
      } satisfies Envelope);
      this.options.link.publish(this.options.topics.endpoint(this.options.run, to), payload);
    }
    const now = Date.now();
    for (const [from, since] of this.gapSince) {
      const asked = this.askedAt.get(from) ?? since;
      if (now - asked > RESEND_AFTER_MS && now - since <= this.options.gapTimeoutMs) {
        // Lost in a broker restart or dropped by a full queue: the sender still has it.
        this.askedAt.set(from, now);
        const r = this.next.get(from) ?? 0;
        this.options.link.publish(
          this.options.topics.endpoint(this.options.run, from),
          serialize({ f: this.self, r } satisfies Envelope),
        );
      }
      if (now - since > this.options.gapTimeoutMs) {
        const next = this.next.get(from) ?? 0;
        this.gapSince.delete(from);
        this.options.onLoss(
          from,
          `message ${next} from ${endpointName(from)} to ${endpointName(this.self)} never arrived (the broker dropped it or lost it in a restart; Mosquitto drops QoS 1 messages past max_queued_messages)`,
        );
      }
    }
  }

  private decode(topic: string, payload: Buffer): Envelope | undefined {
    const drop = (reason: string): undefined => {
      this.options.log(`dropped a message on ${topic}: ${reason}`);
      return undefined;
    };
    if (payload.length > this.options.maxMessageBytes) {
      return drop(
        `${payload.length} bytes is over maxMessageBytes (${this.options.maxMessageBytes})`,
      );
    }
    let value: unknown;
    try {
      value = deserialize(payload);
    } catch (error) {
      return drop(`not a dispel4ts message (${(error as Error).message})`);
    }
    const problem = envelopeProblem(
      value,
      this.options.workers,
      this.options.graph.connections.length,
    );
    return problem ? drop(problem) : (value as Envelope);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.early.clear();
    this.unacked.clear();
    this.inbox.length = 0;
  }
}

function endpointName(endpoint: number): string {
  return endpoint === COORDINATOR ? 'the coordinator' : `endpoint ${endpoint}`;
}

const isIndex = (value: unknown, below: number): boolean =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < below;

/** Why `value` is not a well-formed envelope, or undefined if it is one. */
function envelopeProblem(value: unknown, workers: number, connections: number): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const v = value as Record<string, unknown>;
  if (!(v.f === COORDINATOR || isIndex(v.f, workers))) return `bad sender ${String(v.f)}`;
  if ('r' in v) return isIndex(v.r, Number.MAX_SAFE_INTEGER) ? undefined : 'bad resend request';
  if ('h' in v) {
    return typeof v.h === 'number' && Number.isInteger(v.h) && isIndex(v.a, Number.MAX_SAFE_INTEGER)
      ? undefined
      : 'bad sync';
  }
  if (!isIndex(v.s, Number.MAX_SAFE_INTEGER)) return 'bad sequence number';
  if (v.a !== undefined && !isIndex(v.a, Number.MAX_SAFE_INTEGER)) return 'bad acknowledgement';
  const m = v.m as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null || typeof m.kind !== 'string' || !KINDS.has(m.kind)) {
    return 'unknown message kind';
  }
  if ('from' in m && m.from !== v.f) return 'sender and message disagree';
  if (m.kind === 'data' || m.kind === 'eos' || m.kind === 'credit') {
    if (
      !isIndex(m.connection, connections) ||
      !isIndex(m.sender, 1 << 30) ||
      !isIndex(m.to, 1 << 30)
    ) {
      return `bad channel in a ${m.kind} message`;
    }
    if (m.kind === 'data' && !Array.isArray(m.items) && !(m.items instanceof Float64Array))
      return 'bad items';
    if (m.kind === 'credit' && !isIndex(m.messages, 1 << 30)) return 'bad credit';
    if (m.kind === 'credit' && m.itemNs !== undefined && !isIndex(m.itemNs, 2 ** 31))
      return 'bad credit cost';
  }
  if (m.kind === 'result' && (typeof m.output !== 'string' || !Array.isArray(m.values)))
    return 'bad result';
  if (m.kind === 'error' && (typeof m.error !== 'object' || m.error === null)) return 'bad error';
  return undefined;
}
