/**
 * Deep equality where numbers may differ by `relative` (default 1e-9) of the larger: for
 * answers that are sums over several instances, whose order of addition is not defined.
 * Arrays compare element by element, plain objects key by key; anything else with
 * `Object.is`.
 *
 * @example
 * ```ts
 * import { multiset, nearlyEqual } from 'dispel4ts/testing';
 *
 * nearlyEqual(multiset(results.Collect), multiset(expected.Collect));
 * // Output: true
 * ```
 */
export function nearlyEqual(a: unknown, b: unknown, relative = 1e-9): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => nearlyEqual(x, b[i], relative));
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) =>
        nearlyEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], relative),
      )
    );
  }
  return Object.is(a, b);
}
