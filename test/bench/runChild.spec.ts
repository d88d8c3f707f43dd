import { describe, expect, it } from 'vitest';
import type { BenchBackend } from '../../bench/BenchBackend.js';
import { backends } from '../../bench/backends.js';
import { runChild } from '../../bench/runChild.js';

const config = { workload: 'W1', k: 1, n: 1000, repeat: 2, warmup: false };

describe('runChild', () => {
  it('measures in a fresh process and reports its answer, runs and memory', async () => {
    const [m] = await runChild([{ ...config, backend: 'loop' }], undefined, 60_000);
    expect(m).toMatchObject({ answer_ok: true, isolated: true, cold_wall_s: null });
    expect(m!.walls_s).toHaveLength(2);
    expect(m!.peak_rss_mb).toBeGreaterThan(10);
  }, 70_000);

  it("starts the child through a backend's wrap and adds the memory other processes report", async () => {
    // A launcher in front of the child (as mpirun would be) that reports 1000 MB of its own.
    const launcher: BenchBackend = {
      ...backends.find((b) => b.name === 'sequential')!,
      processes: true,
      wrap: (command) => [
        '/bin/sh',
        '-c',
        `echo '{"kind":"rss","mb":1000}'; "$@"`,
        'sh',
        ...command,
      ],
    };
    const [m] = await runChild([{ ...config, backend: 'sequential' }], launcher, 60_000);
    expect(m).toMatchObject({ answer_ok: true });
    expect(m!.peak_rss_mb).toBeGreaterThan(1010);
  }, 70_000);

  it('fails a configuration it cannot run, with the reason', async () => {
    const [m] = await runChild([{ ...config, backend: 'nowhere' }], undefined, 60_000);
    expect(m).toMatchObject({ answer_ok: false, walls_s: [] });
    expect(m!.error).toContain('no backend or baseline nowhere');
  }, 70_000);

  it('fails every configuration of a child that outlives its timeout', async () => {
    const threads = backends.find((b) => b.name === 'threads');
    const measured = await runChild(
      [
        { ...config, workload: 'W1-bounded', backend: 'threads', n: 50_000_000 },
        { ...config, backend: 'loop' },
      ],
      threads,
      1500,
    );
    expect(measured).toHaveLength(2);
    for (const m of measured) {
      expect(m.answer_ok).toBe(false);
      expect(m.error).toMatch(/^timed out after 1.5 s/);
    }
  }, 30_000);
});
