import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { take } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, PEError, run, WorkerLostError } from '../../../src/index.js';
import { mpi } from '../../../backends/mpi/index.js';
import { formatPlan } from '../../../src/plan/plan.js';
import { pipeline, expected } from '../../../examples/workloads/pipeline.js';
import { hanging, throwing, exiting } from '../../fixtures/workerFaults.js';
import { killing, slow } from '../../fixtures/mpiFaults.js';
import { payloads } from '../../fixtures/mpiPayloads.js';
import { mpiUnavailable } from '../../helpers/mpiUnavailable.js';
import {
  descendants,
  mpiProcesses,
  mpiProcessesGone,
  mpiSnapshot,
} from '../../helpers/processes.js';

const missing = mpiUnavailable();
const root = new URL('../../../', import.meta.url).pathname;
const asRoot = process.getuid?.() === 0 ? ['--allow-run-as-root'] : [];

/** Runs `mpirun -n <n> node --import tsx <args>` and gives its exit code and output. */
function mpiexec(
  n: number,
  args: string[],
  timeout = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve) => {
    execFile(
      'mpirun',
      [...asRoot, '--oversubscribe', '-n', String(n), process.execPath, '--import', 'tsx', ...args],
      { cwd: root, timeout, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({
          code: error ? ((error as { code?: number }).code ?? 1) : 0,
          stdout,
          stderr,
          ms: Date.now() - start,
        }),
    );
  });
}

describe('mpi backend: the addon is optional', () => {
  it('importing dispel4ts and the mpi backend works without the addon; asking for it says what to do in one line', () => {
    const script = `
      const { collect } = await import('./src/index.ts');
      const { mpi } = await import('./backends/mpi/index.ts');
      const { pipeline } = await import('./examples/workloads/pipeline.ts');
      try { await collect(pipeline, mpi({ ranks: 2 })); console.log('RAN'); }
      catch (e) { console.log('ERROR ' + e.name + ': ' + e.message); }`;
    const out = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, DISPEL4TS_MPI_ADDON: '/nonexistent/dispel4ts_mpi.node' },
        timeout: 60_000,
      },
    );
    const line = out.stdout.trim();
    expect(line).toMatch(
      /^ERROR BackendError: mpi backend: the MPI addon is not built: install MPI .*npm run build:mpi/,
    );
    expect(line.split('\n')).toHaveLength(1);
  }, 60_000);
});

describe.skipIf(missing)(`mpi backend${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const shared = mpi({ ranks: 2, idleMs: 20_000 });
  afterAll(() => shared.close());

  it('places instances round robin over the ranks and prints the plan', () => {
    expect(formatPlan(mpi({ ranks: 2 }).plan(pipeline.graph))).toBe(
      'worker 0: Numbers[0], AddOne_2[0], Sum[0]\nworker 1: AddOne[0], AddOne_3[0]',
    );
  });

  it('moves typed arrays of every size exactly, rank to rank and on again (views it received)', async () => {
    expect(formatPlan(shared.plan(payloads.graph))).toBe(
      'worker 0: Make[0], Check[0]\nworker 1: Relay[0]',
    );
    const { Check } = await collect(payloads, shared, { iterations: 300 });
    expect(Check).toEqual(Array.from({ length: 300 }, (_, i) => [i, true]));
  }, 60_000);

  it('copies a batch of numbers as it sends it, so the channel fills the same buffer again at once: every number arrives unchanged', async () => {
    // Numbers -> AddOne (rank 1) -> AddOne_2 (rank 0) -> AddOne_3 (rank 1) -> Sum (rank 0): 50
    // batches cross the ranks four times, each sent while its buffer is being refilled.
    expect(await collect(pipeline, shared, { iterations: 200_000 })).toEqual(expected(200_000));
  }, 60_000);

  it('keeps its job for the next run: the same mpirun serves run after run', async () => {
    expect(await collect(pipeline, shared, { iterations: 10 })).toEqual(expected(10));
    const first = mpiProcesses(descendants()).filter((p) => /mpirun/.test(p.args));
    expect(await collect(pipeline, shared, { iterations: 20_000 })).toEqual(expected(20_000));
    const second = mpiProcesses(descendants()).filter((p) => /mpirun/.test(p.args));
    expect(second.map((p) => p.pid)).toEqual(first.map((p) => p.pid));
    expect(first).toHaveLength(1);
  }, 90_000);

  it('close() ends the idle job and resolves in a program with nothing else to do, which then goes on', () => {
    // The idle job does not keep the process alive; its ending must, or `await close()` never
    // settles and Node ends the program there (exit code 13).
    const script = `
      const { collect } = await import('./src/index.ts');
      const { mpi } = await import('./backends/mpi/index.ts');
      const { pipeline } = await import('./examples/workloads/pipeline.ts');
      const a = mpi({ ranks: 1 });
      await collect(pipeline, a, { iterations: 10 });
      await a.close();
      console.log('CLOSED');
      const b = mpi({ ranks: 2 });
      console.log(JSON.stringify(await collect(pipeline, b, { iterations: 10 })));
      await b.close();
      console.log('DONE');`;
    const out = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim().split('\n')).toEqual(['CLOSED', JSON.stringify(expected(10)), 'DONE']);
  }, 60_000);

  it('fails with a PEError naming rank, PE, instance and item when a PE throws; the job serves the next run', async () => {
    const error = await collect(throwing, shared, { iterations: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PEError);
    expect(error).toMatchObject({ workflow: 'throwing', pe: 'Explode', item: 500 });
    const { instance } = error as PEError;
    expect([0, 1]).toContain(instance);
    // The load-aware shuffle decides which instance gets item 500: the rank named is the one
    // the plan put that instance on.
    const rank = shared.plan(throwing.graph).placement['Explode']![instance];
    expect(error).toMatchObject({ rank });
    expect((error as Error).message).toMatch(
      new RegExp(`PE "Explode" instance ${instance} .*boom at 500 \\(on rank ${rank}\\)`),
    );
    expect(await collect(pipeline, shared, { iterations: 100 })).toEqual(expected(100));
  }, 90_000);

  it('fails within seconds with a WorkerLostError naming the rank when a rank is killed (kill -9), and leaves no process behind', async () => {
    const existing = mpiSnapshot();
    const stamp = join(tmpdir(), `dispel4ts-kill-${process.pid}`);
    process.env.DISPEL4TS_KILL_STAMP = stamp;
    const error = await collect(killing, mpi({ ranks: 2, idleMs: 0 }), {
      iterations: 1_000_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect(error).toMatchObject({ backend: 'mpi', worker: 'rank 1' });
    expect((error as WorkerLostError).instances).toContain('Kill[0]');
    expect((error as Error).message).toMatch(
      /rank 1 running Kill\[0\].* was lost: exited on signal 9/,
    );
    // From the kill to the error (the job's start-up is not counted).
    expect(Date.now() - Number(readFileSync(stamp, 'utf8'))).toBeLessThan(15_000);
    rmSync(stamp, { force: true });
    expect(await mpiProcessesGone(15_000, existing)).toEqual([]);
  }, 120_000);

  it('fails with a WorkerLostError when a PE exits its rank', async () => {
    const existing = mpiSnapshot();
    const error = await collect(exiting, mpi({ ranks: 2, idleMs: 0 }), {
      iterations: 100_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect((error as WorkerLostError).instances).toContain('Exit[0]');
    expect((error as Error).message).toMatch(/exited with code 3/);
    expect(await mpiProcessesGone(15_000, existing)).toEqual([]);
  }, 120_000);

  it('fails when a rank hangs past the heartbeat timeout, and ends the job', async () => {
    const existing = mpiSnapshot();
    const error = await collect(hanging, mpi({ ranks: 2, idleMs: 0, heartbeatTimeoutMs: 2000 }), {
      iterations: 1000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect((error as Error).message).toMatch(/rank 1 .*no heartbeat/);
    expect(await mpiProcessesGone(15_000, existing)).toEqual([]);
  }, 120_000);

  it('stops the job when the caller unsubscribes', async () => {
    const existing = mpiSnapshot();
    const values = await new Promise<unknown[]>((resolve, reject) => {
      const got: unknown[] = [];
      run(slow, mpi({ ranks: 2, idleMs: 0 }), { iterations: 10_000_000 })
        .pipe(take(0))
        .subscribe({ next: (r) => got.push(r), error: reject, complete: () => resolve(got) });
    });
    expect(values).toEqual([]);
    // take(0) unsubscribes at once; also cancel a run that is under way.
    const sub = run(slow, mpi({ ranks: 2, idleMs: 0 }), { iterations: 10_000_000 }).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(mpiProcesses(descendants()).filter((p) => !existing.has(p.pid)).length).toBeGreaterThan(
      0,
    );
    sub.unsubscribe();
    expect(await mpiProcessesGone(15_000, existing)).toEqual([]);
  }, 120_000);
});

describe.skipIf(missing)('mpi backend inside mpiexec (SPMD: every rank runs the program)', () => {
  it('gives every result on rank 0, and every rank ends cleanly', async () => {
    const out = await mpiexec(3, ['test/fixtures/mpiJobMain.ts', 'pipeline', '100000']);
    expect(out.stderr).not.toMatch(/Error/);
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n').filter((l) => l.startsWith('RESULTS '));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!.slice('RESULTS '.length))).toEqual(expected(100_000));
    expect(out.stdout).toMatch(/rank 1 done with 0 results/);
    expect(out.stdout).toMatch(/rank 2 done with 0 results/);
  }, 120_000);

  it('a throwing PE ends the whole job with MPI_Abort after rank 0 names rank, PE and instance', async () => {
    const out = await mpiexec(2, ['test/fixtures/mpiJobMain.ts', 'throwing', '10000']);
    expect(out.code).not.toBe(0);
    // Two ranks: Explode[0] runs on rank 1, Explode[1] on rank 0 (the plan); the load-aware
    // shuffle decides which of them gets item 500.
    const failed =
      /dispel4ts mpi: the job failed \(PE "Explode" instance (\d) of workflow "throwing" failed on item 500: boom at 500 \(on rank (\d)\)\); aborting every rank/.exec(
        out.stderr,
      );
    expect(failed, out.stderr).not.toBeNull();
    expect(Number(failed![2])).toBe(1 - Number(failed![1]));
    expect(out.ms).toBeLessThan(60_000);
    expect(out.stdout).not.toMatch(/RESULTS/);
  }, 120_000);
});
