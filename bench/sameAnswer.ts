import { multiset } from '../src/testing/index.js';
import type { Results } from './BenchWorkload.js';

/** Deep equality, numbers to 1e-9 relative (sums over instances are not ordered). */
function close(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => close(x, b[i]));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return Object.is(a, b);
}

/**
 * Why `actual` is not the `expected` answer, or undefined when it is: every expected output,
 * compared as a multiset (order across instances is not defined), numbers to 1e-9 relative.
 */
export function sameAnswer(actual: Results, expected: Results): string | undefined {
  for (const [output, values] of Object.entries(expected)) {
    const got = actual[output];
    if (!got) return `no output ${output}`;
    if (!close(multiset(got), multiset(values))) {
      const show = (v: unknown[]): string =>
        JSON.stringify(v.length > 3 ? [...v.slice(0, 3), '...'] : v);
      return `${output}: got ${show(got)} (${got.length} values), expected ${show(values)} (${values.length})`;
    }
  }
  return undefined;
}
