import { describe, expect, it } from 'vitest';
import type { BenchRecord } from '../../bench/BenchRecord.js';
import { headlines } from '../../bench/headlines.js';

const record = (r: Partial<BenchRecord>): BenchRecord => ({
  workload: 'W1',
  name: 'pipeline',
  backend: 'threads',
  k: 2,
  workers: 2,
  n: 1000,
  repeat: 1,
  processes: 1,
  wall_s: 1,
  wall_min_s: 1,
  wall_max_s: 1,
  cold_wall_s: null,
  items_per_s: 1,
  items_per_s_best: 1,
  cpu_s: 1,
  cores: 1,
  mb_per_s: null,
  peak_rss_mb: 100,
  answer_ok: true,
  vs_rxjs: 1,
  speedup: null,
  efficiency: null,
  isolated: true,
  ...r,
});

const byCheck = (records: BenchRecord[]) =>
  Object.fromEntries(headlines(records).map((h) => [h.check.split(' (')[0], h.met]));

describe('headlines', () => {
  it('holds each figure against its floor', () => {
    const met = byCheck([
      record({ backend: 'sequential', k: 1, vs_rxjs: 0.7 }),
      record({ items_per_s: 3.1e6, items_per_s_best: 4e6 }),
      record({ workload: 'W2', items_per_s: 1.9e6, items_per_s_best: 2e6 }),
      record({ workload: 'W3', speedup: 1.9, efficiency: 0.95 }),
      record({ workload: 'W5', mb_per_s: 999, items_per_s: 15_000, items_per_s_best: 16_000 }),
      record({ workload: 'W1-bounded', peak_rss_mb: 299 }),
      record({ workload: 'W3', backend: 'mpi', speedup: 1.84, efficiency: 0.92 }),
      record({ workload: 'W3', backend: 'mqtt', speedup: 1.8, efficiency: 0.9 }),
      record({ backend: 'mqtt-mosquitto', items_per_s: 1.2e6, items_per_s_best: 1.3e6 }),
      record({ workload: 'W3', backend: 'mqtt-mosquitto', speedup: 1.6, efficiency: 0.8 }),
    ]);
    expect(met).toMatchObject({
      'sequential W1 vs plain RxJS': true,
      'threads W1, 2 workers': true,
      'threads W2, k = 2': false,
      'threads W3, k = 2 over k = 1': true,
      'threads W5, k = 2': false,
      'mpi W1, 4 ranks': undefined,
      'mpi W3, 2 ranks over 1': false,
      'mqtt W1, 2 nodes, embedded broker': undefined,
      'mqtt W1, 2 node processes via Mosquitto': true,
      'mqtt W3, 2 nodes over 1, embedded broker': true,
      'mqtt W3, 2 node processes over 1, via Mosquitto': false,
    });
    expect(Object.entries(met).find(([c]) => c.startsWith('bounded memory'))?.[1]).toBe(true);
  });

  it('takes no figure from a configuration that answered wrong', () => {
    const met = byCheck([record({ items_per_s: 9e6, answer_ok: false })]);
    expect(met['threads W1, 2 workers']).toBeUndefined();
  });
});
