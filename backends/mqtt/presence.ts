import { deserialize } from 'node:v8';

/** @internal The version of the node ↔ coordinator protocol; nodes of another are not used. */
export const PROTOCOL_VERSION = 1;

/** @internal What a node says on its presence topic (never retained). */
export type Presence =
  | {
      readonly kind: 'here';
      readonly id: string;
      readonly name: string;
      readonly capacity: number;
      /** Slots free now. */
      readonly free: number;
      readonly version: number;
      readonly host: string;
      readonly pid: number;
    }
  | { readonly kind: 'gone'; readonly id: string; readonly name: string; readonly reason: string };

/** @internal Decodes a presence message (undefined if malformed). */
export function decodePresence(payload: Buffer): Presence | undefined {
  try {
    const value = deserialize(payload) as Presence;
    if (typeof value !== 'object' || value === null || typeof value.id !== 'string')
      return undefined;
    if (
      value.kind === 'here' &&
      typeof value.capacity === 'number' &&
      typeof value.free === 'number'
    )
      return value;
    if (value.kind === 'gone') return value;
  } catch {
    // malformed
  }
  return undefined;
}
