import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { expected } from '../../../examples/workloads/pipeline.js';
import { dispel4ts, root } from '../../helpers/cli.js';
import { mpiUnavailable } from '../../helpers/mpiUnavailable.js';
import { mpiProcessesGone } from '../../helpers/processes.js';

const missing = mpiUnavailable();
const asRoot = process.getuid?.() === 0 ? ['--allow-run-as-root'] : [];

/** `mpiexec -n <n> dispel4ts <args>`: its exit code and output. */
function mpiexecCli(
  n: number,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'mpiexec',
      [
        ...asRoot,
        '--oversubscribe',
        '-n',
        String(n),
        process.execPath,
        'bin/dispel4ts.mjs',
        ...args,
      ],
      { cwd: root, timeout: 90_000, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

function resultLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as unknown);
}

describe.skipIf(missing)(`dispel4ts mpi${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('`mpiexec -n 3 dispel4ts mpi <file>`: rank 0 writes every result, once; every rank exits 0', async () => {
    const out = await mpiexecCli(3, ['mpi', 'examples/workloads/pipeline.ts', '-i', '50000']);
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.code).toBe(0);
    expect(resultLines(out.stdout)).toEqual([{ output: 'Sum', value: expected(50_000).Sum[0] }]);
  }, 120_000);

  it('`dispel4ts run <file> --backend mpi -n 2` launches mpirun itself and leaves nothing behind', async () => {
    const out = await dispel4ts(
      ['run', 'examples/workloads/pipeline.ts', '--backend', 'mpi', '-n', '2', '-i', '50000'],
      {
        timeoutMs: 90_000,
      },
    );
    expect(out.code).toBe(0);
    expect(out.lines()).toEqual([{ output: 'Sum', value: expected(50_000).Sum[0] }]);
    expect(await mpiProcessesGone()).toEqual([]);
  }, 120_000);

  it('under mpiexec, a failing PE ends the job: one error naming PE, instance and rank, exit code non-zero', async () => {
    const out = await mpiexecCli(2, ['mpi', 'test/fixtures/cli/throwing.ts', '-i', '100']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(
      /dispel4ts: error: PE "Explode" instance 0 of workflow "throwing" failed on item 3: 3 is not allowed \(on rank 1\)/,
    );
    expect(out.stderr.match(/dispel4ts: error:/g)).toHaveLength(1);
    // The job has ended: no rank is left. (mpiexec's own "MPI_ABORT was invoked" text is not
    // checked: Open MPI 4.1.4 leaves it out now and then, ORTE_ERROR_LOG or nothing instead.)
    expect(await mpiProcessesGone()).toEqual([]);
  }, 120_000);

  it('the number of processes is given once: -n that disagrees with mpiexec is refused', async () => {
    const out = await mpiexecCli(2, ['mpi', '-n', '3', 'examples/workloads/pipeline.ts']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(
      /mpi\(\{ ranks: 3 \}\) inside an mpiexec job of 2 ranks: give the number of processes once, to mpiexec/,
    );
  }, 120_000);
});
