import type { BenchRecord } from './BenchRecord.js';

/** One headline figure against its floor (shared/bench/ANCHORS.md, "Targets"). */
export interface Headline {
  readonly check: string;
  /** The figure, formatted; `—` when not measured in this run. */
  readonly figure: string;
  readonly floor: string;
  /** Whether the floor is met; undefined when not measured. */
  readonly met: boolean | undefined;
}

const find = (records: readonly BenchRecord[], workload: string, backend: string, k?: number) =>
  records.find(
    (r) =>
      r.workload === workload &&
      r.backend === backend &&
      (k === undefined || r.k === k) &&
      r.answer_ok,
  );

const millions = (x: number): string => `${(x / 1e6).toFixed(2)} M/s`;

/**
 * The headline figures of a run against the floors the issues set: sequential W1 against
 * plain RxJS, threads W1 / W2 / W5 throughput, W3 scaling, mpi W1 / W3 / W5 and mqtt W1 / W3
 * (embedded broker, and node processes via Mosquitto) when those backends ran, and peak memory of the bounded-memory configuration.
 */
export function headlines(records: readonly BenchRecord[]): Headline[] {
  const out: Headline[] = [];
  const seq = find(records, 'W1', 'sequential');
  out.push({
    check: 'sequential W1 vs plain RxJS (items/s ratio; time ratio)',
    figure: seq?.vs_rxjs
      ? `${seq.vs_rxjs.toFixed(2)}× (time ${(1 / seq.vs_rxjs).toFixed(2)}×)`
      : '—',
    floor: '≥ 0.67× (time ≤ 1.5×)',
    met: seq?.vs_rxjs ? seq.vs_rxjs >= 1 / 1.5 : undefined,
  });
  const rate = (
    check: string,
    workload: string,
    k: number,
    floor: number,
    label: string,
    backend = 'threads',
  ): void => {
    const r = find(records, workload, backend, k);
    out.push({
      check,
      figure: r?.items_per_s
        ? `${millions(r.items_per_s)} (best ${millions(r.items_per_s_best!)})`
        : '—',
      floor: label,
      met: r?.items_per_s ? r.items_per_s >= floor : undefined,
    });
  };
  rate('threads W1, 2 workers (items/s)', 'W1', 2, 3e6, '≥ 3 M/s');
  rate('threads W2, k = 2 (words/s)', 'W2', 2, 2e6, '≥ 2 M/s');
  const scaling = (check: string, backend: string, floor: number): void => {
    const r = find(records, 'W3', backend, 2);
    out.push({
      check,
      figure: r?.speedup
        ? `${r.speedup.toFixed(2)}× (efficiency ${(100 * r.efficiency!).toFixed(0)}%)`
        : '—',
      floor: `≥ ${floor}×`,
      met: r?.speedup ? r.speedup >= floor : undefined,
    });
  };
  scaling('threads W3, k = 2 over k = 1 (speedup)', 'threads', 1.85);
  const w5 = find(records, 'W5', 'threads', 2);
  out.push({
    check: 'threads W5, k = 2 (MB/s)',
    figure: w5?.mb_per_s ? `${w5.mb_per_s.toFixed(0)} MB/s` : '—',
    floor: '≥ 1,000 MB/s',
    met: w5?.mb_per_s ? w5.mb_per_s >= 1000 : undefined,
  });
  // Backends that land on their own branches: 'not run' until their records appear.
  rate('mpi W1, 4 ranks (items/s; needs --k 4)', 'W1', 4, 3e6, '≥ 3 M/s', 'mpi');
  const mpiW5 = find(records, 'W5', 'mpi', 2);
  out.push({
    check: 'mpi W5, k = 2 (MB/s)',
    figure: mpiW5?.mb_per_s ? `${mpiW5.mb_per_s.toFixed(0)} MB/s` : '—',
    floor: '≥ 1,000 MB/s',
    met: mpiW5?.mb_per_s ? mpiW5.mb_per_s >= 1000 : undefined,
  });
  scaling('mpi W3, 2 ranks over 1 (speedup)', 'mpi', 1.85);
  rate('mqtt W1, 2 nodes, embedded broker (items/s)', 'W1', 2, 1e6, '≥ 1 M/s', 'mqtt');
  rate(
    'mqtt W1, 2 node processes via Mosquitto (items/s)',
    'W1',
    2,
    1e6,
    '≥ 1 M/s',
    'mqtt-mosquitto',
  );
  scaling('mqtt W3, 2 nodes over 1, embedded broker (speedup)', 'mqtt', 1.8);
  scaling('mqtt W3, 2 node processes over 1, via Mosquitto (speedup)', 'mqtt-mosquitto', 1.8);
  const bounded = records.find((r) => r.workload === 'W1-bounded' && r.answer_ok);
  out.push({
    check: `bounded memory: W1${bounded ? `, N = ${bounded.n.toLocaleString('en')}` : ''}, slow Sum, threads (peak RSS)`,
    figure: bounded ? `${bounded.peak_rss_mb.toFixed(0)} MB` : '—',
    floor: '< 300 MB',
    met: bounded ? bounded.peak_rss_mb < 300 : undefined,
  });
  return out;
}
