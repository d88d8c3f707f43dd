import { map, merge, reduce } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, pe, producer, RunStats, workflow } from '../../../src/index.js';
import { threads } from '../../../backends/threads/index.js';
import { groupByKey } from '../../../operators/index.js';
import { pipeline } from '../../../examples/workloads/pipeline.js';

const counts = (stats: RunStats): [string, number, number, number][] =>
  stats
    .snapshot()
    .map((s): [string, number, number, number] => [s.pe, s.instance, s.itemsIn, s.itemsOut])
    .sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);

describe('RunStats', () => {
  it('counts items in and out per PE instance on the sequential backend', async () => {
    const stats = new RunStats();
    expect(await collect(pipeline, undefined, { iterations: 100, stats })).toEqual({
      Sum: [(100 * 99) / 2 + 300],
    });
    expect(counts(stats)).toEqual([
      ['AddOne', 0, 100, 100],
      ['AddOne_2', 0, 100, 100],
      ['AddOne_3', 0, 100, 100],
      ['Numbers', 0, 0, 100],
      ['Sum', 0, 100, 1],
    ]);
    expect(stats.snapshot().every((s) => s.busyMs === 0 && s.sampleMs === undefined)).toBe(true);
  });

  it('counts per instance behind a grouping, and a port read twice once', async () => {
    const Numbers = producer('Numbers', (i) => i);
    const Both = pe(
      'Both',
      (in$: import('rxjs').Observable<number>) => merge(in$, in$.pipe(map((x) => -x))),
      {
        instances: 2,
      },
    );
    const wf = workflow('twice', () =>
      Numbers().pipe(
        groupByKey((x: number) => x % 2),
        Both,
      ),
    );
    const stats = new RunStats();
    const { Both: out } = await collect(wf, undefined, { iterations: 10, stats });
    expect(out).toHaveLength(20);
    const both = stats.snapshot().filter((s) => s.pe === 'Both');
    expect(both.map((s) => s.itemsIn).reduce((a, b) => a + b)).toBe(10);
    expect(both.map((s) => s.itemsOut).reduce((a, b) => a + b)).toBe(20);
  });

  it('times PEs: busy time and samples, excluding what a PE feeds', async () => {
    const spin =
      (ms: number) =>
      (x: number): number => {
        const until = performance.now() + ms;
        while (performance.now() < until) {
          // busy
        }
        return x;
      };
    const Numbers = producer('Numbers', (i) => i);
    const Slow = pe('Slow', map(spin(0.3)));
    const Fast = pe(
      'Fast',
      map((x: number) => x + 1),
    );
    const Sum = pe(
      'Sum',
      reduce((a: number, x: number) => a + x, 0),
    );
    const wf = workflow('timed', () => Numbers().pipe(Fast, Slow, Fast, Sum));
    const stats = new RunStats({ timing: true });
    await collect(wf, undefined, { iterations: 100, stats });
    const snapshot = stats.snapshot(true);
    const slow = snapshot.find((s) => s.pe === 'Slow')!;
    const first = snapshot.find((s) => s.pe === 'Fast')!;
    expect(slow.busyMs).toBeGreaterThan(100 * 0.25);
    expect(slow.sampleMs!.length).toBe(100);
    // The first Fast feeds Slow synchronously: Slow's time is not Fast's.
    expect(first.busyMs).toBeLessThan(slow.busyMs / 3);
  });

  it("merges the workers' reports on the threads backend", { timeout: 60_000 }, async () => {
    const stats = new RunStats({ timing: true });
    await collect(pipeline, threads({ workers: 2, idleMs: 0 }), { iterations: 1000, stats });
    expect(counts(stats)).toEqual([
      ['AddOne', 0, 1000, 1000],
      ['AddOne_2', 0, 1000, 1000],
      ['AddOne_3', 0, 1000, 1000],
      ['Numbers', 0, 0, 1000],
      ['Sum', 0, 1000, 1],
    ]);
    expect(stats.snapshot(true).every((s) => Array.isArray(s.sampleMs))).toBe(true);
  });

  it('keeps a run without stats unwrapped (no counters appear anywhere)', async () => {
    const stats = new RunStats();
    await collect(pipeline, undefined, { iterations: 10 });
    expect(stats.snapshot()).toEqual([]);
  });
});
