import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../bench/Measurement.js';
import { poolProcesses } from '../../bench/poolProcesses.js';

const measured = (
  workload: string,
  walls_s: number[],
  more: Partial<Measurement> = {},
): Measurement => ({
  config: { workload, backend: 'threads', k: 2, n: 1000, repeat: 2, warmup: true },
  workers: 2,
  walls_s,
  cpus_s: walls_s.map((w) => 2 * w),
  cold_wall_s: 0.5,
  answer_ok: true,
  peak_rss_mb: 100,
  isolated: true,
  ...more,
});

describe('poolProcesses', () => {
  it("pools each configuration's runs over its processes, in first-seen order", () => {
    const pooled = poolProcesses([
      measured('W3', [1, 2]),
      measured('W5', [5]),
      measured('W3', [3, 4], { peak_rss_mb: 150, cold_wall_s: 0.9 }),
      measured('W3', [5, 6]),
    ]);
    expect(pooled.map((m) => m.config.workload)).toEqual(['W3', 'W5']);
    expect(pooled[0]).toMatchObject({
      walls_s: [1, 2, 3, 4, 5, 6],
      cpus_s: [2, 4, 6, 8, 10, 12],
      processes: 3,
      peak_rss_mb: 150,
      cold_wall_s: 0.5,
      answer_ok: true,
    });
    expect(pooled[1]).toMatchObject({ walls_s: [5], processes: 1 });
  });

  it('fails a configuration that failed in any process, with that failure', () => {
    const [m] = poolProcesses([
      measured('W1', [1, 1]),
      measured('W1', [], { answer_ok: false, error: 'wrong answer: 41 for 42' }),
      measured('W1', [1, 1]),
    ]);
    expect(m).toMatchObject({
      answer_ok: false,
      error: 'wrong answer: 41 for 42',
      walls_s: [],
      processes: 3,
    });
  });
});
