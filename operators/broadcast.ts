import type { MonoTypeOperatorFunction } from 'rxjs';
import { markBoundary } from '../src/graph/boundary.js';
import { passThrough } from './passThrough.js';

/**
 * Marks a PE boundary where every item goes to every instance of the next PE (dispel4py's
 * one-to-all, `'all'`); each instance gets its own copy. In-process it passes every item
 * through unchanged.
 *
 * @example
 * ```ts
 * config$.pipe(broadcast(), Worker)
 * ```
 */
export function broadcast<T>(): MonoTypeOperatorFunction<T> {
  return markBoundary(passThrough<T>(), { grouping: { kind: 'broadcast' } });
}
