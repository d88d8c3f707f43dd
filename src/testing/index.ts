/**
 * `dispel4ts/testing`: helpers for testing PEs, operators and whole workflows with RxJS's
 * TestScheduler (marble diagrams) on the sequential backend, and for comparing results of
 * runs whose order across instances is not defined.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { filter, map, type Observable, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { run, type RunOptions } from '../dsl/run.js';
import type { Result, Workflow } from '../dsl/workflow.js';
import { inProcessBackend } from '../runtime/inProcessBackend.js';
import { canonicalKey } from '../plan/hashKey.js';

/**
 * A TestScheduler whose assertions use `assertEqual` (default: Node's `deepStrictEqual`;
 * pass vitest's or jest's `(a, e) => expect(a).toEqual(e)` to get their diffs).
 *
 * @example
 * ```ts
 * testScheduler().run(({ cold, expectObservable }) => {
 *   expectObservable(cold('a-b|', { a: 1, b: 2 }).pipe(Double)).toBe('a-b|', { a: 2, b: 4 });
 * });
 * ```
 */
export function testScheduler(
  assertEqual: (actual: unknown, expected: unknown) => void = deepStrictEqual,
): TestScheduler {
  return new TestScheduler((actual, expected) => assertEqual(actual, expected));
}

/**
 * The results of a workflow on the sequential backend, for `expectObservable` inside
 * `TestScheduler.run`: virtual time flows through every PE.
 */
export function resultsOf<In, Out>(
  workflow: Workflow<In, Out>,
  options?: RunOptions<In>,
): Observable<Result<Out>> {
  return run(workflow, inProcessBackend, options);
}

/** Keeps the values of one output of a run's results. */
export function valuesOf<Out, K extends keyof Out & string>(
  output: K,
): OperatorFunction<Result<Out>, Out[K]> {
  return (results) =>
    results.pipe(
      filter((result) => result.output === output),
      map((result) => result.value as Out[K]),
    );
}

/**
 * The values sorted by a canonical form, to compare runs as multisets (order across
 * instances is not defined): `expect(multiset(a)).toEqual(multiset(b))`.
 */
export function multiset<T>(values: readonly T[]): T[] {
  return values
    .map((value) => [canonicalKey(value), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, value]) => value);
}

export { nearlyEqual } from './nearlyEqual.js';
