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
 * only records what it is given to send.
 */
export function recordingChannel(
  batchSize: number,
  window: number,
): { channel: Channel; sent: Sent[] } {
  const sent: Sent[] = [];
  const transport: Transport = {
    self: 0,
    send: (_to, message, transfer) => void sent.push({ message, transfer }),
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
