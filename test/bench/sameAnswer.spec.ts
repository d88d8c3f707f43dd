import { describe, expect, it } from 'vitest';
import { sameAnswer } from '../../bench/sameAnswer.js';

describe('sameAnswer', () => {
  it('accepts the same values in any order (a multiset)', () => {
    expect(
      sameAnswer(
        {
          P: [
            ['a', 1],
            ['b', 2],
          ],
        },
        {
          P: [
            ['b', 2],
            ['a', 1],
          ],
        },
      ),
    ).toBeUndefined();
  });

  it('accepts sums equal to 1e-9 relative, and no closer than that', () => {
    expect(sameAnswer({ S: [{ x: 1 + 1e-12 }] }, { S: [{ x: 1 }] })).toBeUndefined();
    expect(sameAnswer({ S: [1.001] }, { S: [1] })).toMatch(/^S: got \[1\.001\]/);
  });

  it('reports a missing output, a missing value and an extra one', () => {
    expect(sameAnswer({}, { S: [1] })).toBe('no output S');
    expect(sameAnswer({ S: [] }, { S: [1] })).toContain('(0 values)');
    expect(sameAnswer({ S: [1, 1] }, { S: [1] })).toContain('(2 values)');
  });
});
