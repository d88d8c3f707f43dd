import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/index.js';
import { mpi } from '../../../backends/mpi/index.js';
import { rankArgs } from '../../fixtures/rankArgs.js';
import { mpiUnavailable } from '../../helpers/mpiUnavailable.js';

const missing = mpiUnavailable();

/** The distinct `execArgv` of the processes that ran `Args` on `ranks` ranks. */
async function rankExecArgv(ranks: number, nodeArgs?: string[]): Promise<string[]> {
  const backend = mpi({ ranks, idleMs: 0, ...(nodeArgs ? { nodeArgs } : {}) });
  const results = (await collect(rankArgs, backend, { iterations: 40 })) as { Args: string[] };
  expect(results.Args).toHaveLength(40);
  return [...new Set(results.Args)];
}

describe.skipIf(missing)(`mpi backend rank flags${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('starts ranks with a larger initial old space, single-threaded GC when they fill the cores, and the caller’s nodeArgs after them', async () => {
    const full = availableParallelism();
    const argv = await rankExecArgv(full, ['--max-old-space-size=2048']);
    expect(argv.length).toBeGreaterThan(0);
    for (const args of argv) {
      const flags = args.split(' ');
      const initial = flags.indexOf('--initial-old-space-size=64');
      expect(initial).toBeGreaterThanOrEqual(0);
      expect(flags).toContain('--single-threaded-gc');
      // The caller's arguments come after the backend's, so theirs win.
      expect(flags.indexOf('--max-old-space-size=2048')).toBeGreaterThan(initial);
    }
    if (full > 1) {
      for (const args of await rankExecArgv(full - 1)) {
        expect(args.split(' ')).toContain('--initial-old-space-size=64');
        expect(args.split(' ')).not.toContain('--single-threaded-gc');
      }
    }
  }, 120_000);
});
