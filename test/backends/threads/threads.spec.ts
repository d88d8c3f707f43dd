import { readdirSync } from 'node:fs';
import { firstValueFrom, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collect, PEError, run, WorkerLostError } from '../../../src/index.js';
import { threads } from '../../../backends/threads/index.js';
import { formatPlan } from '../../../src/plan/plan.js';
import { pipeline, expected } from '../../../examples/workloads/pipeline.js';
import { exiting, hanging, throwing } from '../../fixtures/workerFaults.js';
import { asyncTicks, progress } from '../../fixtures/asyncSource.js';

/** Threads of this process, from the kernel: what a leaked worker would show up in. */
function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

async function settledThreads(baseline: number): Promise<number> {
  for (let i = 0; i < 50 && threadCount() > baseline; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return threadCount();
}

describe('threads backend', () => {
  it.each([1, 2, 4])('runs W1 with %i workers and gives the sequential answer', async (workers) => {
    const backend = threads({ workers, idleMs: 0 });
    expect(await collect(pipeline, backend, { iterations: 50_000 })).toEqual(expected(50_000));
  });

  it('runs producers on the coordinator, places the rest round robin, and prints the plan', () => {
    const plan = threads({ workers: 2 }).plan(pipeline.graph);
    expect(plan.placement).toEqual({
      Numbers: [-1],
      AddOne: [0],
      AddOne_2: [1],
      AddOne_3: [0],
      Sum: [1],
    });
    expect(formatPlan(plan)).toBe(
      'coordinator: Numbers[0]\nworker 0: AddOne[0], AddOne_3[0]\nworker 1: AddOne_2[0], Sum[0]',
    );
  });

  it("deals producers to workers like any PE with producers: 'workers'", async () => {
    const backend = threads({ workers: 2, producers: 'workers' });
    const plan = backend.plan(pipeline.graph);
    expect(plan.placement).toEqual({
      Numbers: [0],
      AddOne: [1],
      AddOne_2: [0],
      AddOne_3: [1],
      Sum: [0],
    });
    expect(formatPlan(plan)).toBe(
      'worker 0: Numbers[0], AddOne_2[0], Sum[0]\nworker 1: AddOne[0], AddOne_3[0]',
    );
    expect(await collect(pipeline, backend, { iterations: 1000 })).toEqual(expected(1000));
    expect(() => threads({ producers: 'main' as 'workers' })).toThrow(
      /options.producers must be 'coordinator' or 'workers'/,
    );
  });

  it('lets the event loop in while an async producer runs on settled awaits: results come before it ends', async () => {
    // A warm worker: a cold one takes 0.5-1 s to start on a loaded 2-core machine, and the
    // producer (on the coordinator) would be half done before anything could come back.
    const backend = threads({ workers: 1, idleMs: 5000 });
    await collect(asyncTicks, backend, { iterations: 10 });
    progress.produced = 0;
    const n = 20_000; // a second of producing
    const first = await firstValueFrom(run(asyncTicks, backend, { iterations: n }));
    expect(first).toEqual({ output: 'Double', value: 0 });
    expect(progress.produced).toBeLessThan(n / 2);
  });

  it('reuses warm workers for the next run of the same backend', async () => {
    const backend = threads({ workers: 2, idleMs: 5000 });
    await collect(pipeline, backend, { iterations: 10 });
    const start = performance.now();
    expect(await collect(pipeline, backend, { iterations: 10 })).toEqual(expected(10));
    expect(performance.now() - start).toBeLessThan(250);
  });

  it('fails with a PEError naming PE, instance and item when a PE throws, and stops the run', async () => {
    const baseline = threadCount();
    const error = await collect(throwing, threads({ workers: 2 }), { iterations: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PEError);
    expect(error).toMatchObject({ workflow: 'throwing', pe: 'Explode', item: 500 });
    expect([0, 1]).toContain((error as PEError).instance);
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('fails within 5 s with a WorkerLostError when a worker exits', async () => {
    const baseline = threadCount();
    const start = Date.now();
    const error = await collect(exiting, threads({ workers: 2 }), { iterations: 100_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkerLostError);
    expect((error as WorkerLostError).instances).toContain('Exit[0]');
    expect((error as Error).message).toMatch(/exited with code 3/);
    expect(Date.now() - start).toBeLessThan(5000);
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('fails when a worker hangs past the heartbeat timeout', async () => {
    const baseline = threadCount();
    const start = Date.now();
    const error = await collect(hanging, threads({ workers: 2, heartbeatTimeoutMs: 1500 }), {
      iterations: 1000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect((error as Error).message).toMatch(/no heartbeat/);
    expect((error as WorkerLostError).instances).toContain('Hang[0]');
    expect(Date.now() - start).toBeLessThan(1500 + 5000);
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('stops the run and frees every worker when the caller unsubscribes', async () => {
    const baseline = threadCount();
    const backend = threads({ workers: 2, idleMs: 60_000 });
    const first = await new Promise((resolve, reject) =>
      run(throwing, backend, { iterations: 400 })
        .pipe(take(1))
        .subscribe({ next: resolve, error: reject }),
    );
    expect(first).toEqual({ output: 'Count', value: 400 });
    expect(await settledThreads(baseline)).toBeLessThanOrEqual(baseline);
  });

  it('installs no signal handlers and changes no exit behaviour of the host process', async () => {
    const before = ['SIGINT', 'SIGTERM', 'exit'].map((e) => process.listenerCount(e));
    await collect(pipeline, threads({ workers: 2, idleMs: 0 }), { iterations: 100 });
    expect(['SIGINT', 'SIGTERM', 'exit'].map((e) => process.listenerCount(e))).toEqual(before);
  });
});
