import { describe, expect, it } from 'vitest';
import { ALL, createRoute } from '../../../src/plan/routing.js';
import { hashKey } from '../../../src/index.js';

describe('createRoute', () => {
  it('shuffles round robin, each sender starting at its own number', () => {
    const a = createRoute({ kind: 'shuffle' }, undefined, 0, 3);
    const b = createRoute({ kind: 'shuffle' }, undefined, 1, 3);
    expect([0, 0, 0, 0].map(() => a(null))).toEqual([0, 1, 2, 0]);
    expect([0, 0, 0].map(() => b(null))).toEqual([1, 2, 0]);
  });

  it('routes group-by by key hash, by key function or by fields', () => {
    const byFn = createRoute({ kind: 'groupByKey', key: 'function' }, (w) => (w as string[])[0], 0, 4);
    const byField = createRoute({ kind: 'groupByKey', key: [0] }, undefined, 1, 4);
    for (const word of ['a', 'b', 'w17', 'zz']) {
      expect(byFn([word, 1])).toBe(hashKey(word) % 4);
      expect(byField([word, 2])).toBe(hashKey(word) % 4);
    }
    const byTwo = createRoute({ kind: 'groupByKey', key: ['x', 'y'] }, undefined, 0, 5);
    expect(byTwo({ x: 1, y: 2, z: 3 })).toBe(hashKey([1, 2]) % 5);
  });

  it('sends all to instance 0, or to every instance', () => {
    expect(createRoute({ kind: 'allToOne' }, undefined, 2, 3)(1)).toBe(0);
    expect(createRoute({ kind: 'broadcast' }, undefined, 0, 3)(1)).toBe(ALL);
    expect(createRoute({ kind: 'broadcast' }, undefined, 0, 1)(1)).toBe(ALL);
  });
});
