import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/index.js';
import { mpi } from '../../../backends/mpi/index.js';
import { rankV8Flags } from '../../../backends/mpi/rankV8Flags.js';
import { rankArgs } from '../../fixtures/rankArgs.js';
import { mpiUnavailable } from '../../helpers/mpiUnavailable.js';

const missing = mpiUnavailable();

describe('rankV8Flags', () => {
  it('gives every rank a larger initial old space, and single-threaded GC only when the ranks fill the cores', () => {
    const cores = availableParallelism();
    expect(rankV8Flags(cores)).toEqual(['--initial-old-space-size=64', '--single-threaded-gc']);
    expect(rankV8Flags(cores + 3)).toContain('--single-threaded-gc');
    if (cores > 1) expect(rankV8Flags(cores - 1)).toEqual(['--initial-old-space-size=64']);
  });
});

describe.skipIf(missing)(`mpi backend rank flags${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('starts every rank with those flags, and the caller’s nodeArgs after them', async () => {
    const backend = mpi({ ranks: 2, idleMs: 0, nodeArgs: ['--max-old-space-size=2048'] });
    const results = (await collect(rankArgs, backend, { iterations: 40 })) as { Args: string[] };
    expect(results.Args).toHaveLength(40);
    const expectedFlags = [...rankV8Flags(2), '--max-old-space-size=2048'];
    for (const args of new Set(results.Args)) {
      const flags = args.split(' ');
      const at = expectedFlags.map((flag) => flags.indexOf(flag));
      expect(at.every((i) => i >= 0)).toBe(true);
      // In this order: the caller's arguments come last, so theirs win.
      expect(at).toEqual([...at].sort((a, b) => a - b));
    }
  }, 120_000);
});
