import { merge as rxMerge, type Observable } from 'rxjs';
import { TracedStream } from '../src/graph/trace.js';

/**
 * Merges streams into one: in a workflow, several outputs feeding one input port (a PE's
 * input then ends when all of them have ended); in-process, RxJS's `merge`.
 *
 * @example
 * ```ts
 * merge(doubled$, tripled$).pipe(allToOne(), Sum)
 * ```
 */
export function merge<T>(...streams: Observable<T>[]): Observable<T> {
  if (streams.length > 0 && streams.every((s) => s instanceof TracedStream)) {
    return TracedStream.merge(streams as unknown as TracedStream<unknown>[]) as Observable<T>;
  }
  if (streams.some((s) => s instanceof TracedStream)) {
    throw new TypeError('merge(): cannot mix workflow streams with plain Observables');
  }
  return rxMerge(...streams);
}
