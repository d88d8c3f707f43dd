import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/index.js';
import { mpi } from '../../../backends/mpi/index.js';
import { slowLines } from '../../fixtures/workerFaults.js';
import { mpiUnavailable } from '../../helpers/mpiUnavailable.js';
import { descendants } from '../../helpers/processes.js';

const missing = mpiUnavailable();

/** Resident memory of a process, in MB (0 once it is gone). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs slowLines for `n` items on 2 ranks, sampling the ranks' resident memory as it goes. */
async function peakRankRss(n: number): Promise<{ results: unknown; peakMb: number }> {
  // The producer on rank 0, the slow consumer on rank 1: every line crosses ranks.
  const backend = mpi({
    ranks: 2,
    idleMs: 0,
    window: 8,
    partitions: [['Numbers', 'Line'], ['SlowLength']],
  });
  let peakMb = 0;
  const timer = setInterval(() => {
    for (const p of descendants().filter((d) => /rank\.mjs/.test(d.args)))
      peakMb = Math.max(peakMb, rssMb(p.pid));
  }, 100);
  try {
    const results = await collect(slowLines, backend, { iterations: n });
    return { results, peakMb };
  } finally {
    clearInterval(timer);
  }
}

describe.skipIf(missing)(
  `mpi backend flow control${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('keeps every rank’s memory flat when a fast producer feeds a slow consumer on another rank', async () => {
      const small = await peakRankRss(150_000);
      const large = await peakRankRss(600_000);
      expect(small.results).toEqual({ SlowLength: [150_000 * 200] });
      expect(large.results).toEqual({ SlowLength: [600_000 * 200] });
      expect(small.peakMb).toBeGreaterThan(0);
      // Four times the items, 450,000 more 200-character strings behind a consumer slower than
      // its producer: without credits the backlog alone would add ~100 MB to a rank.
      expect(large.peakMb - small.peakMb).toBeLessThan(40);
      expect(large.peakMb).toBeLessThan(300);
    }, 180_000);
  },
);
