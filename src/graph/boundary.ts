import type { OperatorFunction } from 'rxjs';
import type { Grouping } from './WorkflowGraph.js';

/**
 * Boundary operators (`groupByKey`, `allToOne`, `broadcast`, `shuffle`) are ordinary
 * operators that also carry the grouping of the connection they mark, under this
 * module-private symbol. The tracer reads it through {@link readBoundary} only.
 */
const kBoundary = Symbol('dispel4ts.boundary');

/** @internal What a boundary operator carries: the grouping and, for group-by, the key function. */
export interface Boundary {
  readonly grouping: Grouping;
  readonly key?: (item: unknown) => unknown;
}

/** @internal Marks `operator` as a PE boundary with the given grouping. */
export function markBoundary<T>(
  operator: OperatorFunction<T, T>,
  boundary: Boundary,
): OperatorFunction<T, T> {
  return Object.assign(operator, { [kBoundary]: boundary });
}

/** @internal The boundary an operator marks, if any. */
export function readBoundary(operator: unknown): Boundary | undefined {
  return typeof operator === 'function'
    ? (operator as { [kBoundary]?: Boundary })[kBoundary]
    : undefined;
}
