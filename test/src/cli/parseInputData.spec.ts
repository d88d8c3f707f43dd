import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/index.js';
import { parseInputData } from '../../../src/cli/parseInputData.js';

async function usageError(fn: () => Promise<unknown>): Promise<UsageError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseInputData', () => {
  it('maps PE names to items, or gives the input stream', async () => {
    expect(await parseInputData('{"A": [1, 2], "B": []}', undefined)).toEqual({
      data: { A: [1, 2], B: [] },
    });
    expect(await parseInputData('[1, "x"]', undefined)).toEqual({ input: [1, 'x'] });
    expect(await parseInputData(undefined, undefined)).toEqual({});
  });

  it('says where JSON is invalid, with line and column', async () => {
    const error = await usageError(() => parseInputData('{\n  "A": [1,, 2]\n}', undefined));
    expect(error.message).toMatch(
      /^invalid JSON in -d at line 2, column 11 \(position 12\): value expected/,
    );
    expect(error.hint).toMatch(/quote it for the shell/);
  });

  it('refuses values that are not arrays, scalars, and both -d and -f', async () => {
    expect((await usageError(() => parseInputData('{"A": 3}', undefined))).message).toMatch(
      /PE "A" is not an array/,
    );
    expect((await usageError(() => parseInputData('3', undefined))).message).toMatch(
      /must be a JSON object or array/,
    );
    expect((await usageError(() => parseInputData('[]', 'x.json'))).message).toMatch(
      /-d and -f both/,
    );
  });
});
