import { multiset, nearlyEqual } from '../src/testing/index.js';
import type { Results } from './BenchWorkload.js';

/**
 * Why `actual` is not the `expected` answer, or undefined when it is: every expected output,
 * compared as a multiset (order across instances is not defined), numbers to 1e-9 relative.
 */
export function sameAnswer(actual: Results, expected: Results): string | undefined {
  for (const [output, values] of Object.entries(expected)) {
    const got = actual[output];
    if (!got) return `no output ${output}`;
    if (!nearlyEqual(multiset(got), multiset(values))) {
      const show = (v: unknown[]): string =>
        JSON.stringify(v.length > 3 ? [...v.slice(0, 3), '...'] : v);
      return `${output}: got ${show(got)} (${got.length} values), expected ${show(values)} (${values.length})`;
    }
  }
  return undefined;
}
