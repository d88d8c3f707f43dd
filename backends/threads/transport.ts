import type { MessagePort } from 'node:worker_threads';
import { COORDINATOR, type Message } from '../../src/runtime/protocol.js';
import type { Transport } from '../../src/runtime/Transport.js';

/**
 * A worker thread's endpoint: a MessagePort to every other worker (data goes worker to
 * worker, never through the main thread) and its parent port to the coordinator. Buffers
 * in `transfer` are moved, not copied.
 */
export function workerTransport(
  self: number,
  parent: MessagePort,
  peers: readonly (MessagePort | null)[],
): Transport {
  return {
    self,
    movesBuffers: true,
    send(to, message, transfer) {
      const port = to === COORDINATOR ? parent : peers[to];
      if (!port) throw new Error(`worker ${self} has no port to endpoint ${to}`);
      port.postMessage(message, transfer as ArrayBuffer[] | undefined);
    },
    onMessage(handler) {
      const receive = (message: Message): void => handler(message);
      parent.on('message', receive);
      for (const port of peers) port?.on('message', receive);
    },
    close() {
      for (const port of peers) port?.close();
    },
  };
}
