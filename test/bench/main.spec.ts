import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchRecord } from '../../bench/BenchRecord.js';

const run = promisify(execFile);

/** `npm run bench -- --quick`, into a temporary folder: the harness end to end. */
describe('npm run bench -- --quick', () => {
  let dir: string;
  let records: BenchRecord[];
  let stderr: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dispel4ts-bench-'));
    const json = join(dir, 'records.json');
    const out = await run(
      process.execPath,
      // The two backends every machine has (mpi and mqtt have their own suites): bounded time.
      [
        ...['--import', 'tsx', 'bench/main.ts', '--quick', '--backend', 'sequential,threads'],
        ...['--json', json, '--out', join(dir, 'out')],
      ],
      { encoding: 'utf8', timeout: 170_000 },
    );
    stderr = out.stderr;
    records = JSON.parse(await readFile(json, 'utf8')) as BenchRecord[];
  }, 180_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes records of the documented shape, every answer right', () => {
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(r).toMatchObject({
        workload: expect.any(String),
        backend: expect.any(String),
        k: expect.any(Number),
        n: expect.any(Number),
        wall_s: expect.any(Number),
        items_per_s: expect.any(Number),
        peak_rss_mb: expect.any(Number),
        answer_ok: true,
      });
      // Every workload has a plain-RxJS baseline but the bounded-memory variant of W1.
      if (r.workload !== 'W1-bounded') expect(r.vs_rxjs).toEqual(expect.any(Number));
      expect(r.wall_min_s!).toBeLessThanOrEqual(r.wall_s!);
      expect(r.wall_max_s!).toBeGreaterThanOrEqual(r.wall_s!);
      expect(r.items_per_s).toBeCloseTo(r.n / r.wall_s!, 6);
      expect(r.peak_rss_mb).toBeGreaterThan(10);
      expect('mb_per_s' in r).toBe(true);
      expect(r.mb_per_s === null).toBe(r.workload !== 'W5');
    }
  });

  it('runs W1-W5 as a plain loop, in plain RxJS, and on sequential and threads at k = 1 and 2', () => {
    const has = (workload: string, backend: string, k = 1) =>
      records.some((r) => r.workload === workload && r.backend === backend && r.k === k);
    for (const w of ['W1', 'W2', 'W3', 'W4', 'W5']) {
      expect(has(w, 'loop'), `${w} loop`).toBe(true);
      expect(has(w, 'rxjs'), `${w} rxjs`).toBe(true);
      expect(has(w, 'sequential'), `${w} sequential`).toBe(true);
      expect(has(w, 'threads', 1), `${w} threads k=1`).toBe(true);
      expect(has(w, 'threads', 2), `${w} threads k=2`).toBe(true);
    }
    expect(has('W1-bounded', 'threads', 2)).toBe(true);
    for (const r of records.filter((r) => r.backend === 'rxjs')) expect(r.vs_rxjs).toBe(1);
    for (const r of records.filter((r) => r.backend === 'threads')) expect(r.workers).toBe(r.k);
  });

  it('gives W5 in MB/s and W3 scaling over k = 1', () => {
    const w5 = records.find((r) => r.workload === 'W5' && r.backend === 'threads')!;
    expect(w5.mb_per_s).toBeCloseTo((w5.items_per_s! * 65536) / 1e6, 6);
    const w3 = records.find((r) => r.workload === 'W3' && r.backend === 'threads' && r.k === 2)!;
    const one = records.find((r) => r.workload === 'W3' && r.backend === 'threads' && r.k === 1)!;
    expect(w3.speedup).toBeCloseTo(w3.items_per_s! / one.items_per_s!, 6);
    expect(w3.efficiency).toBeCloseTo(w3.speedup! / 2, 6);
  });

  it('writes the Markdown report and both SVG charts', async () => {
    const out = join(dir, 'out');
    const md = await readFile(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Headline figures');
    expect(md).toContain('## W3 scaling');
    expect(md).toMatch(/\| W5 traces +\| threads/);
    for (const chart of ['throughput.svg', 'w3-scaling.svg']) {
      const svg = await readFile(join(out, chart), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg).toContain('role-mark');
    }
    expect(JSON.parse(await readFile(join(out, 'results.json'), 'utf8'))).toEqual(records);
    expect(stderr).toContain('sequential W1 vs plain RxJS');
  });
});
