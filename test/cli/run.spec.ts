import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispel4ts } from '../helpers/cli.js';

const CLI_TIMEOUT = 120_000;
const fixture = (name: string): string => `test/fixtures/cli/${name}`;
const values = (lines: { output: string; value: unknown }[]): unknown[] =>
  lines.map((l) => l.value);

describe('dispel4ts run', { timeout: CLI_TIMEOUT }, () => {
  it('prints one JSON line per result on stdout, with -i iterations', async () => {
    const run = await dispel4ts(['run', 'examples/workloads/pipeline.ts', '-i', '10', '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('{"output":"Sum","value":75}\n');
  });

  it('runs once without -i', async () => {
    const run = await dispel4ts(['run', 'examples/workloads/pipeline.ts']);
    expect(run.code).toBe(0);
    expect(run.lines()).toEqual([{ output: 'Sum', value: 3 }]);
  });

  it('loads .mts, .mjs and .js workflow files with no build step', async () => {
    const [mts, mjs, js] = await Promise.all([
      dispel4ts(['run', fixture('typed.mts'), '-i', '3']),
      dispel4ts(['run', fixture('plain.mjs'), '-i', '3']),
      dispel4ts(['run', fixture('plain.js'), '-i', '2']),
    ]);
    expect(values(mts.lines())).toEqual([0, -1, -2]);
    expect(values(mjs.lines())).toEqual([1, 2, 3]);
    expect(values(js.lines())).toEqual([1, 2]);
  });

  it('picks the export named by -a, by export name or workflow name', async () => {
    const [byExport, byName] = await Promise.all([
      dispel4ts(['run', fixture('several.ts'), '-a', 'doubled', '-i', '3']),
      dispel4ts(['run', fixture('several.ts'), '-a', 'squares', '-i', '3']),
    ]);
    expect(values(byExport.lines())).toEqual([0, 2, 4]);
    expect(values(byName.lines())).toEqual([0, 1, 4]);
  });

  it('gives -d input data to the producer it names', async () => {
    const run = await dispel4ts([
      'run',
      'examples/workloads/pipeline.ts',
      '-d',
      '{"Numbers": [10, 20]}',
    ]);
    expect(run.code).toBe(0);
    expect(run.lines()).toEqual([{ output: 'Sum', value: 36 }]);
  });

  it('feeds a -d array to the workflow input stream', async () => {
    const run = await dispel4ts(['run', fixture('values.ts'), '-a', 'doubler', '-d', '[1, 2, 3]']);
    expect(values(run.lines())).toEqual([2, 4, 6]);
  });

  it('reads input data from -f FILE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispel4ts-cli-'));
    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify({ Numbers: [1, 2, 3] }));
    const run = await dispel4ts(['run', 'examples/workloads/pipeline.ts', '-f', file]);
    expect(run.lines()).toEqual([{ output: 'Sum', value: 15 }]);
  });

  it('writes the results to -o FILE and nothing to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dispel4ts-cli-'));
    const out = join(dir, 'results.jsonl');
    const run = await dispel4ts([
      'run',
      'examples/graph_testing/pipeline_test.ts',
      '-i',
      '3',
      '-o',
      out,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(
      [
        '{"output":"cons5","value":1}',
        '{"output":"cons5","value":2}',
        '{"output":"cons5","value":3}',
        '',
      ].join('\n'),
    );
  });

  it('spells Map, Set, BigInt, typed arrays and Dates in JSON', async () => {
    const run = await dispel4ts(['run', fixture('values.ts'), '-a', 'values']);
    expect(run.lines()).toEqual([
      {
        output: 'Make',
        value: {
          map: { a: 1 },
          set: [1, 2],
          big: '12345678901234567890',
          typed: [0.5, 1.5],
          date: '1970-01-01T00:00:00.000Z',
        },
      },
    ]);
  });

  it('runs on worker threads with --backend threads -n 2', async () => {
    const run = await dispel4ts([
      'run',
      'examples/workloads/wordcount.ts',
      '-i',
      '2000',
      '--backend',
      'threads',
      '-n',
      '2',
    ]);
    expect(run.code).toBe(0);
    const top = run.lines().filter((l) => l.output === 'Top');
    expect(top.length).toBeGreaterThan(0);
  });

  it("takes dispel4py's spellings: simple, multi -n 2 before the file, --backend multi", async () => {
    const [simple, multi, alias] = await Promise.all([
      dispel4ts(['simple', 'examples/workloads/pipeline.ts', '-i', '10']),
      dispel4ts(['multi', '-n', '2', 'examples/workloads/pipeline.ts', '-i', '10']),
      dispel4ts(['run', 'examples/workloads/pipeline.ts', '-i', '10', '--backend', 'multi']),
    ]);
    for (const run of [simple, multi, alias]) {
      expect(run.code).toBe(0);
      expect(run.lines()).toEqual([{ output: 'Sum', value: 75 }]);
    }
  });
});
