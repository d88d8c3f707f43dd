import type { BenchRecord } from './BenchRecord.js';
import type { BenchWorkload } from './BenchWorkload.js';
import type { Measurement } from './Measurement.js';

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Turns measurements into records: median, min and max wall time, items/s (MB/s for
 * payload workloads), the ratio to the plain-RxJS baseline of the same workload and size,
 * and W3's speedup and efficiency over the same backend at k = 1. A failed measurement
 * (an error or a wrong answer) gets no figures, only `answer_ok: false` and its error.
 */
export function summarise(
  measurements: readonly Measurement[],
  workloads: readonly BenchWorkload[],
): BenchRecord[] {
  const records = measurements.map((m): BenchRecord => {
    const workload = workloads.find((w) => w.id === m.config.workload);
    const ok = m.answer_ok && m.walls_s.length > 0;
    const wall = ok ? median(m.walls_s) : null;
    const itemsPerS = wall ? m.config.n / wall : null;
    return {
      workload: m.config.workload,
      name: workload?.name ?? m.config.workload,
      backend: m.config.backend,
      k: m.config.k,
      workers: m.workers,
      n: m.config.n,
      repeat: m.config.repeat,
      processes: m.processes ?? 1,
      wall_s: wall,
      wall_min_s: ok ? Math.min(...m.walls_s) : null,
      wall_max_s: ok ? Math.max(...m.walls_s) : null,
      cold_wall_s: m.cold_wall_s,
      items_per_s: itemsPerS,
      items_per_s_best: ok ? m.config.n / Math.min(...m.walls_s) : null,
      cpu_s: ok && m.cpus_s.length > 0 ? median(m.cpus_s) : null,
      cores: ok && m.cpus_s.length > 0 ? median(m.cpus_s.map((c, i) => c / m.walls_s[i]!)) : null,
      mb_per_s:
        itemsPerS !== null && workload?.bytesPerItem
          ? (itemsPerS * workload.bytesPerItem) / 1e6
          : null,
      peak_rss_mb: m.peak_rss_mb,
      answer_ok: ok,
      vs_rxjs: null,
      speedup: null,
      efficiency: null,
      isolated: m.isolated,
      ...(m.error !== undefined && { error: m.error }),
    };
  });
  return records.map((r) => {
    const rxjs = records.find(
      (b) => b.backend === 'rxjs' && b.workload === r.workload && b.n === r.n,
    )?.items_per_s;
    const one =
      r.workload === 'W3'
        ? records.find(
            (b) => b.workload === 'W3' && b.backend === r.backend && b.k === 1 && b.n === r.n,
          )?.items_per_s
        : undefined;
    const speedup = r.items_per_s !== null && one ? r.items_per_s / one : null;
    return {
      ...r,
      vs_rxjs: r.items_per_s !== null && rxjs ? r.items_per_s / rxjs : null,
      speedup,
      efficiency: speedup !== null ? speedup / r.k : null,
    };
  });
}
