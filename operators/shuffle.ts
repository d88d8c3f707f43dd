import type { MonoTypeOperatorFunction } from 'rxjs';
import { markBoundary } from '../src/graph/boundary.js';
import { passThrough } from './passThrough.js';

/**
 * Marks a PE boundary where items are spread round robin over the instances of the next PE:
 * the default grouping, written out. Distributed backends may give each batch to the instance
 * with the most room instead (the results are the same multiset). In-process it passes every
 * item through unchanged.
 *
 * @example
 * ```ts
 * candidates$.pipe(shuffle(), IsPrime)
 * ```
 */
export function shuffle<T>(): MonoTypeOperatorFunction<T> {
  return markBoundary(passThrough<T>(), { grouping: { kind: 'shuffle' } });
}
