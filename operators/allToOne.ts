import type { MonoTypeOperatorFunction } from 'rxjs';
import { markBoundary } from '../src/graph/boundary.js';
import { passThrough } from './passThrough.js';

/**
 * Marks a PE boundary where every item goes to one instance (instance 0) of the next PE:
 * dispel4py's `'global'` grouping, for aggregations that must see everything. In-process it
 * passes every item through unchanged.
 *
 * @example
 * ```ts
 * counts$.pipe(allToOne(), Top10)
 * ```
 */
export function allToOne<T>(): MonoTypeOperatorFunction<T> {
  return markBoundary(passThrough<T>(), { grouping: { kind: 'allToOne' } });
}
