import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispel4ts, root } from '../helpers/cli.js';

interface TimingRow {
  pe: string;
  instances: number;
  itemsIn: number;
  itemsOut: number;
  busyMs: number;
  itemsPerSecond: number;
  meanMs: number;
  p95Ms: number;
}

/** The `--timing` JSON: the last line of stderr. */
function timingJson(stderr: string): {
  workflow: string;
  backend: string;
  wallMs: number;
  pes: TimingRow[];
} {
  const lines = stderr.trimEnd().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as ReturnType<typeof timingJson>;
}

const counts = (rows: TimingRow[]): [string, number, number, number][] =>
  rows.map((r) => [r.pe, r.instances, r.itemsIn, r.itemsOut]);

const W1_COUNTS: [string, number, number, number][] = [
  ['Numbers', 1, 0, 1000],
  ['AddOne', 1, 1000, 1000],
  ['AddOne_2', 1, 1000, 1000],
  ['AddOne_3', 1, 1000, 1000],
  ['Sum', 1, 1000, 1],
];

describe('dispel4ts run --timing', { timeout: 120_000 }, () => {
  it.each(['sequential', 'threads'])(
    'prints a table and JSON per PE on the %s backend',
    async (backend) => {
      const run = await dispel4ts([
        'run',
        'examples/workloads/pipeline.ts',
        '-i',
        '1000',
        '--timing',
        '--backend',
        backend,
      ]);
      expect(run.code).toBe(0);
      expect(run.lines()).toEqual([{ output: 'Sum', value: (1000 * 999) / 2 + 3000 }]);
      expect(run.stderr).toMatch(
        new RegExp(`timing of workflow "pipeline" on ${backend}: [\\d.]+ s wall`),
      );
      expect(run.stderr).toMatch(
        /PE\s+│ instances │ items in │ items out │ busy ms │\s+items\/s │ mean µs\/item │ p95 µs\/item/,
      );
      expect(run.stderr).toMatch(/│ AddOne_2 │\s+1 │\s+1000 │\s+1000 │/);
      const timing = timingJson(run.stderr);
      expect(timing).toMatchObject({ workflow: 'pipeline', backend });
      expect(counts(timing.pes)).toEqual(W1_COUNTS);
      for (const row of timing.pes) {
        expect(row.busyMs).toBeGreaterThanOrEqual(0);
        expect(row.meanMs).toBeGreaterThanOrEqual(0);
        expect(row.p95Ms).toBeGreaterThanOrEqual(0);
        expect(row.itemsPerSecond).toBeGreaterThan(0);
      }
    },
  );

  it('sums instances per PE and counts every item once across worker threads', async () => {
    const run = await dispel4ts([
      'run',
      'examples/workloads/wordcount.ts',
      '-i',
      '5000',
      '--timing',
      '--backend',
      'threads',
      '-n',
      '2',
    ]);
    expect(run.code).toBe(0);
    const rows = timingJson(run.stderr).pes;
    const count = rows.find((r) => r.pe === 'CountWords')!;
    expect(count.instances).toBe(2);
    expect(count.itemsIn).toBe(5000);
    expect(rows.find((r) => r.pe === 'Words')!.itemsOut).toBe(5000);
  });

  it('measures the time of a PE that does work', async () => {
    const run = await dispel4ts(['run', 'test/fixtures/cli/busy.ts', '-i', '200', '--timing']);
    const busy = timingJson(run.stderr).pes.find((r) => r.pe === 'Spin')!;
    // Spin busy-waits 0.2 ms per item: the mean must see most of it, whatever the load.
    expect(busy.meanMs).toBeGreaterThan(0.15);
    expect(busy.p95Ms).toBeGreaterThanOrEqual(0.15);
    expect(busy.busyMs).toBeGreaterThan(200 * 0.15);
  });

  it('writes the JSON to --timing-json FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispel4ts-timing-'));
    const file = join(dir, 'timing.json');
    const run = await dispel4ts([
      'run',
      'examples/workloads/pipeline.ts',
      '-i',
      '1000',
      '--timing-json',
      file,
    ]);
    expect(run.code).toBe(0);
    const timing = JSON.parse(readFileSync(file, 'utf8')) as { pes: TimingRow[] };
    expect(counts(timing.pes)).toEqual(W1_COUNTS);
    expect(run.stderr).not.toContain('"pes"');
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs the command under a pseudo-terminal (util-linux `script`), returning what it drew. */
function onTerminal(args: string): string {
  const result = spawnSync(
    'script',
    ['-qfec', `stty cols 120 rows 40; ${process.execPath} bin/dispel4ts.mjs ${args}`, '/dev/null'],
    { cwd: root, encoding: 'utf8', timeout: 90_000 },
  );
  return result.stdout;
}

describe('progress on a terminal', { timeout: 120_000 }, () => {
  it('is not drawn when stderr is not a terminal', async () => {
    const run = await dispel4ts(['run', 'test/fixtures/cli/slow.ts', '-i', '20']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it.skipIf(!hasScript)(
    'draws items in and out per PE, the rate and elapsed time, in place',
    () => {
      const screen = onTerminal('run test/fixtures/cli/slow.ts -i 40 -o /dev/null');
      expect(screen).toMatch(/slow on sequential\s+\d+\.\d s/);
      expect(screen).toMatch(/PE\s+in\s+out\s+items\/s/);
      expect(screen).toMatch(/Ticks\s+0\s+\d+\s+\d+/);
      expect(screen).toMatch(/Tag\s+40\s+40/);
      // Redrawn in place: log-update erases the previous lines (ESC [2K ESC [1A).
      expect(screen).toContain('\u001b[2K\u001b[1A');
    },
  );

  it.skipIf(!hasScript)('is drawn during a long synchronous sequential run too', () => {
    // 10 M items: about 1 s here, several 200 ms frames (3 M had become too quick for two).
    const screen = onTerminal('run examples/workloads/pipeline.ts -i 10000000 -o /dev/null');
    const frames = screen.match(/pipeline on sequential/g) ?? [];
    expect(frames.length).toBeGreaterThan(1);
    expect(screen).toMatch(/Sum\s+10,000,000\s+1/);
  });

  it.skipIf(!hasScript)('is off with --quiet', () => {
    const screen = onTerminal('run test/fixtures/cli/slow.ts -i 20 -o /dev/null --quiet');
    expect(screen).not.toMatch(/items\/s/);
  });

  it.runIf(!hasScript)('needs util-linux script for a pseudo-terminal', () => {
    console.warn('progress tests skipped: `script` (util-linux) is not installed');
    expect(hasScript).toBe(false);
  });
});
