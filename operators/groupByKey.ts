import type { OperatorFunction } from 'rxjs';
import { markBoundary } from '../src/graph/boundary.js';
import { keyFromFields } from '../src/plan/routing.js';
import { passThrough } from './passThrough.js';

/**
 * Marks a PE boundary where items are routed by key: every item with the same key reaches
 * the same instance of the next PE (dispel4py's group-by, `grouping=[0]`), so per-key state
 * in that PE is complete. Keys are compared by value and hashed with a hash that is the same
 * in every process and on every machine.
 *
 * The key is a function of the item, or field indexes/names of it (`groupByKey(0)` keys a
 * `[word, count]` pair by its word, as dispel4py's `[0]` does). In-process, outside a
 * workflow, the operator passes every item through unchanged (it still computes the key, so
 * a key function that throws errors the stream).
 *
 * Unlike RxJS's `groupBy`, it never emits nested `GroupedObservable`s: it routes.
 *
 * @example
 * ```ts
 * words$.pipe(groupByKey((w: string) => w), CountWords)
 * pairs$.pipe(groupByKey(0), Merge) // key: pair[0]
 * ```
 */
export function groupByKey<T>(
  key: ((item: T) => unknown) | number | string | readonly (number | string)[],
): OperatorFunction<T, T> {
  const fields = typeof key === 'function' ? 'function' : Array.isArray(key) ? key : [key as number | string];
  const keyOf = typeof key === 'function' ? key : (keyFromFields(fields as readonly (number | string)[]) as (item: T) => unknown);
  return markBoundary(passThrough<T>((item) => keyOf(item)), {
    grouping: { kind: 'groupByKey', key: fields },
    key: keyOf as (item: unknown) => unknown,
  });
}
