import { describe, expect, it } from 'vitest';
import { nearlyEqual } from '../../../src/testing/index.js';

describe('nearlyEqual', () => {
  it('takes numbers within the relative tolerance, nested in arrays and objects', () => {
    expect(nearlyEqual([{ s: 1e9 }, 2], [{ s: 1e9 + 0.5 }, 2])).toBe(true);
    expect(nearlyEqual(0.1 + 0.2, 0.3)).toBe(true);
  });

  it('refuses numbers outside it, other shapes and other values', () => {
    expect(nearlyEqual({ s: 1 }, { s: 1.001 })).toBe(false);
    expect(nearlyEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(nearlyEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(nearlyEqual('a', 'b')).toBe(false);
    expect(nearlyEqual(1, 1.01, 0.1)).toBe(true);
  });
});
