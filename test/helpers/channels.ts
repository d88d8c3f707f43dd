import { Channel } from '../../src/runtime/Channel.js';
import type { Message } from '../../src/runtime/protocol.js';
import type { Transport } from '../../src/runtime/Transport.js';

/** What a recorded channel's transport was given to send. */
export interface Sent {
  readonly message: Message;
  readonly transfer: readonly ArrayBuffer[] | undefined;
}

/**
 * A channel to endpoint 1 (batches of `batchSize` items, `window` credits) whose transport
 * only records what it is given to send — with `copiesOnSend`, a copy of an all-number
 * batch, as a serialising transport would; `byteNs`, what it says moving a byte costs.
 */
export function recordingChannel(
  batchSize: number,
  window: number,
  copiesOnSend = false,
  byteNs?: number,
): { channel: Channel; sent: Sent[] } {
  const sent: Sent[] = [];
  const copied = (message: Message): Message =>
    message.kind === 'data' && message.items instanceof Float64Array
      ? { ...message, items: message.items.slice() }
      : message;
  const transport: Transport = {
    self: 0,
    ...(copiesOnSend ? { copiesOnSend } : {}),
    ...(byteNs !== undefined ? { byteNs } : {}),
    send: (_to, message, transfer) =>
      void sent.push({ message: copiesOnSend ? copied(message) : message, transfer }),
    onMessage: () => undefined,
    close: () => undefined,
  };
  const channel = new Channel(
    transport,
    'run',
    1,
    { connection: 0, sender: 0, to: 1 },
    batchSize,
    window,
    () => undefined,
    () => undefined,
    () => undefined,
  );
  return { channel, sent };
}
