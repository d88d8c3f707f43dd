import type { Grouping } from '../graph/WorkflowGraph.js';
import { hashKey } from './hashKey.js';

/** @internal Every destination instance: the answer of a broadcast route. */
export const ALL = -1;

/**
 * @internal Chooses the destination instance of each item sent on one connection by one
 * sending instance: round robin (shuffle, starting at the sender's own number so several
 * senders spread out), key hash (group-by), instance 0 (all-to-one) or {@link ALL}.
 */
export type Route = (item: unknown) => number;

/** @internal The route for `grouping` from sender `fromInstance` to `destinations` instances. */
export function createRoute(
  grouping: Grouping,
  key: ((item: unknown) => unknown) | undefined,
  fromInstance: number,
  destinations: number,
): Route {
  if (destinations === 1) return grouping.kind === 'broadcast' ? () => ALL : () => 0;
  switch (grouping.kind) {
    case 'allToOne':
      return () => 0;
    case 'broadcast':
      return () => ALL;
    case 'groupByKey': {
      const keyOf = key ?? keyFromFields(grouping.key);
      return (item) => hashKey(keyOf(item)) % destinations;
    }
    case 'shuffle': {
      let next = fromInstance % destinations;
      return () => {
        const target = next;
        next = next + 1 === destinations ? 0 : next + 1;
        return target;
      };
    }
  }
}

/** @internal The key function of dispel4py's `[0]`-style groupings: fields by index or name. */
export function keyFromFields(fields: Grouping & { kind: 'groupByKey' } extends { key: infer K } ? K : never): (item: unknown) => unknown {
  if (fields === 'function') {
    throw new TypeError('A group-by connection keyed by a function needs its key function');
  }
  if (fields.length === 1) {
    const [field] = fields;
    return (item) => (item as Record<string | number, unknown>)[field!];
  }
  return (item) => fields.map((f) => (item as Record<string | number, unknown>)[f]);
}
