import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hashKey } from '../../../src/index.js';
import { canonicalKey } from '../../../src/plan/hashKey.js';

describe('hashKey', () => {
  it('is FNV-1a over a canonical form: fixed values that never change between releases', () => {
    expect(hashKey('w0')).toBe(hashKey('w0'));
    // Pinned: a change here re-routes every group-by key of every deployed workflow.
    expect([hashKey(''), hashKey('w0'), hashKey(1), hashKey([1, 'a'])]).toEqual([
      4127999362, 2655607373, 70638592, 438582136,
    ]);
  });

  it('compares keys by value: arrays, objects with keys in any order, -0 and 0', () => {
    expect(hashKey([1, 2])).toBe(hashKey([1, 2]));
    expect(hashKey({ a: 1, b: [2] })).toBe(hashKey({ b: [2], a: 1 }));
    expect(hashKey(-0)).toBe(hashKey(0));
    expect(canonicalKey('1')).not.toBe(canonicalKey(1));
  });

  it('is the same in another process (unlike Python hash(), which is salted)', () => {
    const keys = ['w0', 'w999', 'apple', '🙂', 42, [3, 'x']];
    const script = `import { hashKey } from './src/plan/hashKey.ts'; console.log(JSON.stringify(${JSON.stringify(keys)}.map(hashKey)));`;
    const other = execFileSync('npx', ['tsx', '--eval', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(JSON.parse(other.trim())).toEqual(keys.map(hashKey));
  });
});
