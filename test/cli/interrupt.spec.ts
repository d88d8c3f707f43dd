import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dispel4ts } from '../helpers/cli.js';

/** Sends SIGINT once `minLines` results have been printed. */
function interruptAfter(minLines: number) {
  return (child: ChildProcess, output: { stdout: () => string }): void => {
    const poll = setInterval(() => {
      if (output.stdout().split('\n').length > minLines) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 20);
    child.on('exit', () => clearInterval(poll));
  };
}

describe('Ctrl-C', { timeout: 120_000 }, () => {
  it.each([
    ['sequential', 'test/fixtures/cli/slow.ts', ['-i', '100000']],
    ['threads', 'test/fixtures/cli/slow.ts', ['-i', '100000', '-n', '2']],
    // Synchronous producers: the sequential engine still turns the event loop to hear it.
    ['sequential', 'test/fixtures/cli/sparse.ts', ['-a', 'sparse', '-i', '1000000000']],
    ['sequential', 'test/fixtures/cli/sparse.ts', ['-a', 'sparseGeneric', '-i', '1000000000']],
  ])(
    'stops a %s run of %s cleanly: exit 130, printed results stay',
    async (backend, file, args) => {
      const run = await dispel4ts(['run', file, '--backend', backend, ...args], {
        onSpawn: interruptAfter(5),
      });
      expect(run.signal).toBeNull();
      expect(run.code).toBe(130);
      const lines = run.lines();
      expect(lines.length).toBeGreaterThanOrEqual(5);
      // Every line is whole JSON (lines() parses each), and the stop is reported with the count.
      expect(run.stderr).toMatch(
        new RegExp(`^dispel4ts: interrupted; ${lines.length} results written\\n$`),
      );
    },
  );
});
