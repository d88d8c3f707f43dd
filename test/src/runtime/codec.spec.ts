import { describe, expect, it } from 'vitest';
import { UncloneableValueError } from '../../../src/index.js';
import { assertCloneable, copyForReceiver } from '../../../src/runtime/codec.js';

const site = { workflow: 'wf', pe: 'P', port: 'out' };

describe('assertCloneable', () => {
  it.each([
    ['numbers', 1],
    ['strings', 's'],
    ['BigInt', 10n],
    ['null', null],
    ['nested plain data', { a: [1, { b: 'c' }], d: new Date(0) }],
    ['Map and Set', new Map([[1, new Set(['x'])]])],
    ['typed arrays', { samples: new Float64Array(4), raw: new Uint8Array(2).buffer }],
  ])('accepts %s', (_what, value) => {
    expect(() => assertCloneable(value, site)).not.toThrow();
  });

  it.each([
    ['a function', { f: () => 1 }, 'value.f'],
    ['a symbol', [Symbol('s')], 'value[0]'],
    ['a class instance', { at: new (class Point { x = 1; norm() { return 1; } })() }, 'value.at'],
    ['a function in a Map', new Map([['k', () => 1]]), 'value.get(k)'],
  ])('refuses %s, naming PE, port and path', (_what, value, path) => {
    let error: unknown;
    try {
      assertCloneable(value, site);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UncloneableValueError);
    expect(error).toMatchObject({ workflow: 'wf', pe: 'P', port: 'out', path });
  });

  it('copies objects for another receiver and passes primitives as they are', () => {
    const item = { a: [1] };
    const copy = copyForReceiver(item);
    expect(copy).toEqual(item);
    expect(copy).not.toBe(item);
    expect(copyForReceiver(5)).toBe(5);
  });
});
