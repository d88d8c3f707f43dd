import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expected as xcorrExpected } from '../../examples/science/xcorr/xcorr.js';
import { cases } from '../conformance/cases.js';
import { dispel4ts, root } from '../helpers/cli.js';
import { expectSameResults } from '../helpers/results.js';

/**
 * Every example file, run with `dispel4ts run`, gives its answer. One at a time: spawning
 * them all at once would load the machine under the other suites' timing assertions.
 */
const examples = cases.filter((c) => !c.name.startsWith('fixtures/'));

/** The results of a run, by output name, from its JSON lines. */
function byOutput(
  lines: { output: string; value: unknown }[],
  outputs: readonly string[],
): Record<string, unknown[]> {
  const results: Record<string, unknown[]> = Object.fromEntries(outputs.map((o) => [o, []]));
  for (const { output, value } of lines) (results[output] ??= []).push(value);
  return results;
}

describe('every example runs with dispel4ts run', { timeout: 180_000 }, () => {
  it.each(examples.map((c) => [c.name, c] as const))('%s', async (name, example) => {
    const iterations = example.options.iterations ?? 1;
    const run = await dispel4ts(['run', `examples/${name}.ts`, '-i', String(iterations), '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Instance overrides of the conformance cases do not change the answers compared here.
    expectSameResults(
      byOutput(run.lines(), Object.keys(example.expected)),
      example.expected,
      example,
    );
  });

  it('quickstart', async () => {
    const run = await dispel4ts(['run', 'examples/quickstart.ts', '-i', '10', '-q']);
    expect(run.code).toBe(0);
    expect(run.lines().map((l) => l.value)).toEqual(
      expect.arrayContaining([{ even: 120 }, { odd: 165 }]),
    );
  });

  it('science/xcorr/xcorr (writes its files to a temporary folder)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'xcorr-cli-'));
    try {
      const run = await dispel4ts(['run', 'examples/science/xcorr/xcorr.ts', '-i', '3', '-q'], {
        env: { XCORR_OUT: out },
      });
      expect(run.code).toBe(0);
      expectSameResults(byOutput(run.lines(), ['WriteStacks', 'Plot']), xcorrExpected(3), {
        ordered: [],
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('covers every file in examples/ that exports a workflow', async () => {
    const dir = join(root, 'examples');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !/(^|\/)(run|bench)\.ts$/.test(f))
      .sort();
    const withWorkflow: string[] = [];
    for (const file of files) {
      const module = (await import(join(dir, file))) as Record<string, unknown>;
      const exportsWorkflow = Object.values(module).some(
        (v) => typeof v === 'object' && v !== null && 'graph' in v && 'name' in v,
      );
      if (exportsWorkflow) withWorkflow.push(relative(dir, join(dir, file)).replace(/\.ts$/, ''));
    }
    const covered = [...examples.map((c) => c.name), 'quickstart', 'science/xcorr/xcorr'].sort();
    expect(withWorkflow).toEqual(covered);
  });
});
