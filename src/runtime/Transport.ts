import type { Message } from './protocol.js';

/**
 * What a message costs a transport that does not say: a batch over MessagePorts or through the
 * MPI addon costs its sender and receiver together 10-30 us here.
 */
export const DEFAULT_MESSAGE_NS = 20_000;

/**
 * The small interface each distributed backend implements: threads over MessagePorts, MPI
 * over the addon's tagged send/receive, MQTT over a broker. Everything above it — planning,
 * routing by grouping, batching, end-of-stream counting, credit flow control, errors — is
 * shared ({@link WorkerRuntime}, the coordinator).
 *
 * Guarantees a transport must give: messages from one endpoint to another arrive in the
 * order sent, each exactly once, or the transport reports the peer lost.
 */
export interface Transport {
  /** This endpoint: a worker number (0, 1, ...) or COORDINATOR. */
  readonly self: number;
  /**
   * Whether buffers in `transfer` are moved to the receiver, not copied (MessagePorts): then a
   * receiver hands an all-number batch's buffer back with its credit, and senders on its
   * thread fill it again instead of allocating one per batch.
   */
  readonly movesBuffers?: boolean;
  /**
   * Whether `send` has copied the message (serialised it) by the time it returns (MQTT): then
   * a sender fills an all-number batch's buffer again at once instead of allocating one.
   */
  readonly copiesOnSend?: boolean;
  /**
   * About what one message costs, sender, receiver and anything that relays it together (ns):
   * batches for a costly receiver are cut smaller only while a message stays a small share of
   * the receiver's work on it. Default {@link DEFAULT_MESSAGE_NS}.
   */
  readonly messageNs?: number;
  /**
   * About what moving one byte of an item's binary payload (its typed arrays) to another
   * endpoint costs, sender, receiver and anything that relays it together (ns): a shuffle next
   * to a receiver of its own gives a remote one an item only while the receiver's work on it is
   * worth more than moving it. Default 0: the buffers are moved, not copied (MessagePorts).
   */
  readonly byteNs?: number;
  /** Sends `message` to endpoint `to`; `transfer` lists buffers the sender gives up. */
  send(to: number, message: Message, transfer?: readonly ArrayBuffer[]): void;
  /** Sets the handler of every message this endpoint receives. */
  onMessage(handler: (message: Message) => void): void;
  /** Releases the transport's resources. */
  close(): void;
}
