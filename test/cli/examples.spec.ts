import { describe, expect, it } from 'vitest';
import { cases } from '../conformance/cases.js';
import { dispel4ts } from '../helpers/cli.js';
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

  it('covers every file in examples/ that exports a workflow', () => {
    expect(examples.map((c) => c.name)).toHaveLength(21);
  });
});
