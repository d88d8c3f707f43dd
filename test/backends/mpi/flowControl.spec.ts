import { describe, expect, it } from 'vitest';
import { collect, WorkerLostError } from '../../../src/index.js';
import { mpi } from '../../../backends/mpi/index.js';
import { slowLines } from '../../fixtures/workerFaults.js';
import { mpiUnavailable } from '../../helpers/mpiUnavailable.js';

const missing = mpiUnavailable();

/**
 * Every rank's JavaScript heap capped at 48 MB. 600,000 lines of 200 characters are 130 MB:
 * held anywhere as a backlog — queued by the sender, or received and waiting for the slow
 * consumer — they do not fit, and the rank holding them dies.
 *
 * The cap, rather than resident memory, is what these tests measure: how much of its resident
 * memory a rank gives its young generation is V8's choice and changes between Node versions
 * (Node 24's ranks reached 240 MB on this run where Node 20's stayed near 140, with the same
 * backlog: none).
 */
const HEAP_CAP = ['--max-old-space-size=48'];
const LINES = 600_000;

/** slowLines on 2 ranks: the producer on rank 0, the consumer (4 us a line) on rank 1. */
function twoRanks(window: number) {
  return mpi({
    ranks: 2,
    idleMs: 0,
    window,
    nodeArgs: HEAP_CAP,
    partitions: [['Numbers', 'Line'], ['SlowLength']],
  });
}

describe.skipIf(missing)(
  `mpi backend flow control${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('holds no backlog: a fast producer feeds a slow consumer on another rank within a 48 MB heap', async () => {
      const results = await collect(slowLines, twoRanks(8), { iterations: LINES });
      expect(results).toEqual({ SlowLength: [LINES * 200] });
    }, 120_000);

    it('the same run with credits that never bind loses the consumer’s rank, with an error naming it', async () => {
      // The control: a window larger than the run lets the producer send every line at once,
      // and the 48 MB heap is too small for them — so the run above fits only because credits
      // hold the producer back. The rank dies, and the run ends with an error, not a hang.
      const run = collect(slowLines, twoRanks(100_000), { iterations: LINES });
      await expect(run).rejects.toBeInstanceOf(WorkerLostError);
      await expect(run).rejects.toThrow(/rank 1 running SlowLength\[0\]/);
    }, 120_000);
  },
);
