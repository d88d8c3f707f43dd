import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispel4ts, type CliRun } from '../helpers/cli.js';

const fixture = (name: string): string => `test/fixtures/cli/${name}`;

/** One line on stderr, in the `dispel4ts: error:` form, no stack. */
function expectOneLineError(run: CliRun, pattern: RegExp, code = 2): void {
  expect(run.code).toBe(code);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dispel4ts: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe(
  'dispel4ts errors: one line, what is wrong and how to fix it',
  { timeout: 120_000 },
  () => {
    it('a missing file', async () => {
      const run = await dispel4ts(['run', 'no/such/file.ts']);
      expectOneLineError(run, /cannot find workflow file "no\/such\/file\.ts"\. Check the path/);
    });

    it('an unreadable file', async () => {
      if (process.getuid?.() === 0) {
        // root reads everything: a folder stands in for a file that cannot be read as a module.
        const run = await dispel4ts(['run', 'test/fixtures/cli']);
        expectOneLineError(
          run,
          /"test\/fixtures\/cli" is not a file\. Give the path of a workflow module/,
        );
        return;
      }
      const dir = mkdtempSync(join(tmpdir(), 'dispel4ts-cli-'));
      const file = join(dir, 'secret.ts');
      writeFileSync(file, 'export const x = 1;', { mode: 0o000 });
      const run = await dispel4ts(['run', file]);
      expectOneLineError(run, /cannot read workflow file .*chmod/);
    });

    it('a file that is not a module', async () => {
      const run = await dispel4ts(['run', 'README.md']);
      expectOneLineError(
        run,
        /"README\.md" is not a JavaScript or TypeScript module\. Give a \.ts, \.mts, \.js or \.mjs file/,
      );
    });

    it('a file that fails to load', async () => {
      const run = await dispel4ts(['run', fixture('broken.ts')]);
      expectOneLineError(
        run,
        /cannot load test\/fixtures\/cli\/broken\.ts: this module is broken on purpose\. Fix the error/,
      );
    });

    it('a file with no workflow export', async () => {
      const run = await dispel4ts(['run', fixture('none.ts')]);
      expectOneLineError(
        run,
        /none\.ts exports no workflow\. Export one from it: export const wf = workflow\(/,
      );
    });

    it('several exports without -a lists them', async () => {
      const run = await dispel4ts(['run', fixture('several.ts')]);
      expectOneLineError(
        run,
        /exports 2 workflows: doubled, squared \("squares"\)\. Pick one with -a, e.g\. -a doubled\./,
      );
    });

    it('an -a that names no export', async () => {
      const run = await dispel4ts(['run', fixture('several.ts'), '-a', 'cubed']);
      expectOneLineError(
        run,
        /has no workflow export "cubed" \(it exports doubled, squared \("squares"\)\)\. Pick one with -a doubled/,
      );
    });

    it('invalid JSON in -d, with its position', async () => {
      const run = await dispel4ts([
        'run',
        'examples/workloads/pipeline.ts',
        '-d',
        '{"Numbers": [1,}',
      ]);
      expectOneLineError(
        run,
        /invalid JSON in -d at line 1, column 16 \(position 15\): value expected/,
      );
    });

    it('invalid JSON in -f, with line and column', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'dispel4ts-cli-'));
      const file = join(dir, 'bad.json');
      writeFileSync(file, '{\n  "Numbers": [1, 2]\n  "Other": []\n}\n');
      const run = await dispel4ts(['run', 'examples/workloads/pipeline.ts', '-f', file]);
      expectOneLineError(
        run,
        /invalid JSON in .*bad\.json at line 3, column 3 .*comma expected.*Fix the JSON in the file/,
      );
    });

    it('a missing -f file', async () => {
      const run = await dispel4ts([
        'run',
        'examples/workloads/pipeline.ts',
        '-f',
        'no-such-input.json',
      ]);
      expectOneLineError(run, /cannot find input data file "no-such-input\.json"/);
    });

    it('-d data for a PE the workflow does not have', async () => {
      const run = await dispel4ts(['run', 'examples/workloads/pipeline.ts', '-d', '{"Nope": [1]}']);
      expectOneLineError(
        run,
        /-d gives data to PE "Nope", which workflow "pipeline" does not have\. Name one of its PEs: Numbers, AddOne/,
      );
    });

    it('an unknown backend', async () => {
      const run = await dispel4ts([
        'run',
        'examples/workloads/pipeline.ts',
        '--backend',
        'quantum',
      ]);
      expectOneLineError(run, /unknown backend "quantum"\. Use one of: sequential, threads/);
    });

    it('-n smaller than a backend can run with', async () => {
      const run = await dispel4ts(['multi', '-n', '0', 'examples/workloads/pipeline.ts']);
      expectOneLineError(run, /-n must be at least 1, got 0/);
    });

    it('-n for a backend that does not take it', async () => {
      const run = await dispel4ts(['run', 'examples/workloads/pipeline.ts', '-n', '4']);
      expectOneLineError(run, /-n is not used by the sequential backend .*--backend threads/);
    });

    it('a PE that throws names the PE, instance and item; results before it stay printed', async () => {
      const run = await dispel4ts(['run', fixture('throwing.ts'), '-i', '5']);
      expectOneLineError(
        run,
        /PE "Explode" instance 0 of workflow "throwing" failed on item 3: 3 is not allowed\. Fix the PE/,
        1,
      );
      expect(run.lines().map((l) => l.value)).toEqual([1, 2]);
    });

    it('a PE that throws on worker threads, the same way', async () => {
      const run = await dispel4ts([
        'run',
        fixture('throwing.ts'),
        '-i',
        '5',
        '--backend',
        'threads',
        '-n',
        '2',
      ]);
      expectOneLineError(
        run,
        /PE "Explode" instance 0 of workflow "throwing" failed on item 3: 3 is not allowed/,
        1,
      );
    });

    it('--verbose adds the stack', async () => {
      const run = await dispel4ts(['run', fixture('throwing.ts'), '-i', '5', '--verbose']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^dispel4ts: error: PE "Explode"/);
      expect(run.stderr).toMatch(/\n\s+at /);
      expect(run.stderr).toContain('caused by: RangeError: 3 is not allowed');
    });

    it('an unknown option or command', async () => {
      const [option, command] = await Promise.all([
        dispel4ts(['run', 'examples/workloads/pipeline.ts', '--frobnicate']),
        dispel4ts(['frobnicate']),
      ]);
      expectOneLineError(option, /unknown option '--frobnicate'\. See --help\./);
      expectOneLineError(command, /unknown command 'frobnicate'\. See --help\./);
    });
  },
);
