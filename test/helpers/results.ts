import { expect } from 'vitest';
import { multiset } from '../../src/testing/index.js';

/** How to compare two runs' results. */
export interface Comparison {
  /** Outputs whose order is defined: compared in order; the others as multisets. */
  readonly ordered: readonly string[];
  /** Compares one output's values when equality is too strict. */
  readonly close?: (actual: readonly unknown[], expected: readonly unknown[]) => void;
}

/**
 * Asserts that `actual` has the same outputs as `expected`, each with the same values: in
 * order for the `ordered` outputs, as multisets for the others.
 */
export function expectSameResults(
  actual: Readonly<Record<string, readonly unknown[]>>,
  expected: Readonly<Record<string, readonly unknown[]>>,
  { ordered, close }: Comparison,
): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [output, values] of Object.entries(expected)) {
    const got = actual[output]!;
    if (close) close(got, values);
    else if (ordered.includes(output)) expect(got, `output ${output}`).toEqual(values);
    else expect(multiset(got), `output ${output} (as a multiset)`).toEqual(multiset(values));
  }
}
