import { COORDINATOR, type Message } from '../../src/runtime/protocol.js';
import type { Transport } from '../../src/runtime/Transport.js';
import type { MpiAddon } from './addon.js';
import { decodeMessageViews, encodeMessage, markReceived } from './wire.js';

/** MPI tags: a message for the worker of the receiving rank, for the coordinator, or control. */
export const TAG_WORKER = 1;
export const TAG_COORDINATOR = 2;
export const TAG_CONTROL = 3;

/**
 * @internal What moving a byte of binary payload between ranks costs the two of them (ns): the
 * receiving rank reads it out of the sender's memory (CMA), then holds and collects a new
 * external buffer. W5 on 2 ranks, `Normalise` on one and `Peak` on both, interleaved runs with
 * and without sending traces back for the other rank's `Peak` (1.8 crossings a trace against
 * 1): 14-22 us more a 64 KiB trace sent back, where `Peak` reads one in about 8 us.
 */
export const MPI_BYTE_NS = 0.25;

/** Control messages between ranks (not part of the run protocol). */
export type Control =
  /** rank → rank 0, once at start: this rank is up. */
  | { readonly op: 'hello'; readonly rank: number; readonly pid: number }
  /** rank 0 → every rank: the job is over; finalize and leave. */
  | { readonly op: 'quit' };

/**
 * Where the coordinator of a job lives, seen from rank 0: in this process (`mpiexec ... dispel4ts
 * mpi`), or in the parent process that launched `mpirun` (then rank 0 relays its messages,
 * still encoded, over a socket).
 */
export interface CoordinatorLink {
  /** A message for the coordinator from this rank's worker. */
  fromWorker(message: Message, transfer?: readonly ArrayBuffer[]): void;
  /** An encoded message for the coordinator that came from another rank. */
  fromRank(bytes: Buffer): void;
}

/**
 * @internal One MPI rank's end of the job: the worker that runs the PE instances the plan gives
 * this rank, and, on rank 0, the link to the coordinator. Messages between ranks are encoded
 * ({@link encodeMessage}) and sent through the addon with a tag saying who they are for;
 * messages between rank 0's worker and a coordinator in the same process are handed over on a
 * later turn of the event loop, as a transport would.
 */
export class RankNode {
  private workerHandler: ((message: Message) => void) | undefined;
  private readonly early: Message[] = [];
  private controlHandler: (control: Control, source: number) => void = () => undefined;
  private coordinator: CoordinatorLink | undefined;
  private readonly local: (() => void)[] = [];
  private localScheduled = false;

  private constructor(
    private readonly addon: MpiAddon,
    readonly rank: number,
    readonly size: number,
  ) {}

  /** Initialises MPI (once per process) and returns this rank's node. */
  static start(addon: MpiAddon): RankNode {
    let deliver: (
      source: number,
      tag: number,
      bytes: Buffer,
      handle: number | undefined,
    ) => void = () => undefined;
    const info = addon.init((source, tag, bytes, handle) => deliver(source, tag, bytes, handle));
    const node = new RankNode(addon, info.rank, info.size);
    deliver = (source, tag, bytes, handle) => node.receive(source, tag, bytes, handle);
    return node;
  }

  /**
   * Called by the addon for every message this rank receives. A message decoded into values
   * that do not point into its bytes gives its memory back at once: received memory is then
   * reused message after message instead of piling up until the garbage collector runs.
   */
  receive(source: number, tag: number, bytes: Buffer, handle?: number): void {
    switch (tag) {
      case TAG_WORKER: {
        const { message, views } = decodeMessageViews(bytes);
        if (!views) this.addon.release(handle);
        else markReceived(bytes);
        this.toWorker(message);
        return;
      }
      case TAG_COORDINATOR:
        if (!this.coordinator)
          throw new Error(`rank ${this.rank} got a coordinator message from rank ${source}`);
        this.coordinator.fromRank(bytes);
        return;
      case TAG_CONTROL: {
        const { message } = decodeMessageViews(bytes);
        this.addon.release(handle);
        this.controlHandler(message as unknown as Control, source);
        return;
      }
      default:
        throw new Error(
          `rank ${this.rank} got a message with unknown tag ${tag} from rank ${source}`,
        );
    }
  }

  /** Sets where rank 0 sends what is for the coordinator. */
  linkCoordinator(link: CoordinatorLink): void {
    this.coordinator = link;
  }

  onControl(handler: (control: Control, source: number) => void): void {
    this.controlHandler = handler;
  }

  sendControl(to: number, control: Control): void {
    this.addon.send(to, TAG_CONTROL, encodeMessage(control as unknown as Message));
  }

  /** Delivers a message to this rank's worker (buffered until the worker listens). */
  toWorker(message: Message): void {
    if (this.workerHandler) this.workerHandler(message);
    else this.early.push(message);
  }

  /** Sends an encoded message to the worker on rank `to` (a relay: no decoding). */
  forward(to: number, bytes: Uint8Array): void {
    this.addon.send(to, TAG_WORKER, [bytes]);
  }

  /** Runs `deliver` on a later turn, in order with other local hand-overs. */
  later(deliver: () => void): void {
    this.local.push(deliver);
    if (this.localScheduled) return;
    this.localScheduled = true;
    setImmediate(() => {
      this.localScheduled = false;
      for (const next of this.local.splice(0)) next();
    });
  }

  /**
   * The transport of this rank's worker (endpoint `rank`). A batch of numbers is copied as it is
   * sent ({@link Transport.copiesOnSend}), so its channel fills the same buffer again: a fresh
   * 32 KiB Float64Array cost the producing rank about 0.1 ms (new pages), 2-3 ms of a W3 run.
   */
  workerTransport(): Transport {
    return {
      self: this.rank,
      byteNs: MPI_BYTE_NS,
      copiesOnSend: true,
      send: (to, message, transfer) => {
        const batch = isNumberBatch(message);
        if (to === COORDINATOR) {
          if (this.coordinator) this.coordinator.fromWorker(ownBatch(message), transfer);
          else this.addon.send(0, TAG_COORDINATOR, encodeMessage(message, transfer), batch);
        } else if (to === this.rank) {
          const own = ownBatch(message);
          this.later(() => this.toWorker(own));
        } else {
          this.addon.send(to, TAG_WORKER, encodeMessage(message, transfer), batch);
        }
      },
      onMessage: (handler) => {
        this.workerHandler = handler;
        for (const message of this.early.splice(0)) handler(message);
      },
      close: () => undefined,
    };
  }

  /** Sends a message from a coordinator in this process to the worker on rank `to`. */
  sendToWorker(to: number, message: Message, transfer?: readonly ArrayBuffer[]): void {
    if (to === this.rank) this.later(() => this.toWorker(message));
    else this.addon.send(to, TAG_WORKER, encodeMessage(message, transfer));
  }
}

/** Whether `message` is a batch of numbers (its channel fills the buffer again once sent). */
function isNumberBatch(
  message: Message,
): message is Extract<Message, { kind: 'data' }> & { items: Float64Array } {
  return message.kind === 'data' && message.items instanceof Float64Array;
}

/** The message, a batch of numbers with a copy of its own (its channel refills the original). */
function ownBatch(message: Message): Message {
  return isNumberBatch(message) ? { ...message, items: message.items.slice() } : message;
}
