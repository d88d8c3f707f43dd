import { describe, expect, it } from 'vitest';
import type { Configuration, Measurement } from '../../bench/Measurement.js';
import { median, summarise } from '../../bench/summarise.js';
import { workloads } from '../../bench/workloads/workloads.js';

const measurement = (
  config: Partial<Configuration> & Pick<Configuration, 'workload' | 'backend'>,
  walls_s: number[],
  extra: Partial<Measurement> = {},
): Measurement => ({
  config: { k: 1, n: 1000, repeat: walls_s.length, warmup: true, ...config },
  workers: 0,
  walls_s,
  cpus_s: walls_s.map((w) => 2 * w),
  cold_wall_s: null,
  answer_ok: true,
  peak_rss_mb: 100,
  isolated: true,
  ...extra,
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});

describe('summarise', () => {
  it('gives median, min, max, items/s and the ratio to plain RxJS of the same workload and n', () => {
    const [rxjs, seq] = summarise(
      [
        measurement({ workload: 'W1', backend: 'rxjs' }, [0.1, 0.3, 0.2]),
        measurement({ workload: 'W1', backend: 'sequential' }, [0.5, 0.4, 0.6]),
      ],
      workloads,
    );
    expect(rxjs).toMatchObject({ wall_s: 0.2, items_per_s: 5000, vs_rxjs: 1, mb_per_s: null });
    expect(seq).toMatchObject({ wall_s: 0.5, wall_min_s: 0.4, wall_max_s: 0.6, items_per_s: 2000 });
    expect(seq!.items_per_s_best).toBeCloseTo(2500, 9);
    expect(seq!.cpu_s).toBeCloseTo(1, 12);
    expect(seq!.cores).toBeCloseTo(2, 12);
    expect(seq!.vs_rxjs).toBeCloseTo(0.4, 12);
  });

  it('gives W5 in MB/s of 64 KiB traces', () => {
    const [w5] = summarise([measurement({ workload: 'W5', backend: 'threads' }, [1])], workloads);
    expect(w5!.mb_per_s).toBeCloseTo((1000 * 65536) / 1e6, 9);
  });

  it("gives W3's speedup and efficiency over the same backend at k = 1", () => {
    const records = summarise(
      [
        measurement({ workload: 'W3', backend: 'threads', k: 1 }, [1]),
        measurement({ workload: 'W3', backend: 'threads', k: 2 }, [0.8]),
        measurement({ workload: 'W3', backend: 'sequential', k: 2 }, [1]),
      ],
      workloads,
    );
    expect(records[1]!.speedup).toBeCloseTo(1.25, 12);
    expect(records[1]!.efficiency).toBeCloseTo(0.625, 12);
    expect(records[2]!.speedup).toBeNull(); // no sequential k = 1 to compare with
  });

  it('gives a failed or wrong-answer configuration no figures', () => {
    const [wrong] = summarise(
      [
        measurement({ workload: 'W1', backend: 'threads' }, [], {
          answer_ok: false,
          error: 'wrong answer: Sum: got [1]',
        }),
      ],
      workloads,
    );
    expect(wrong).toMatchObject({
      answer_ok: false,
      wall_s: null,
      items_per_s: null,
      vs_rxjs: null,
      error: 'wrong answer: Sum: got [1]',
    });
  });
});
