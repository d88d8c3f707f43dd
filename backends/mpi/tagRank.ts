import type { Message } from '../../src/runtime/protocol.js';

/**
 * @internal Adds the rank to an error a rank reports — as a `rank` field and in the message —
 * so a PE's failure names rank, PE and instance. Other messages pass unchanged.
 */
export function tagRank(message: Message): Message {
  if (message.kind !== 'error') return message;
  const { error } = message;
  return {
    ...message,
    error: {
      ...error,
      message: `${error.message} (on rank ${message.from})`,
      fields: { ...error.fields, rank: message.from },
    },
  };
}
