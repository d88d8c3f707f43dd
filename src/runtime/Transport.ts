import type { Message } from './protocol.js';

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
  /** Sends `message` to endpoint `to`; `transfer` lists buffers the sender gives up. */
  send(to: number, message: Message, transfer?: readonly ArrayBuffer[]): void;
  /** Sets the handler of every message this endpoint receives. */
  onMessage(handler: (message: Message) => void): void;
  /** Releases the transport's resources. */
  close(): void;
}
