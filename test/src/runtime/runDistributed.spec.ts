import { describe, expect, it } from 'vitest';
import type { Backend } from '../../../src/backend.js';
import { collect } from '../../../src/index.js';
import { planInstances } from '../../../src/plan/plan.js';
import { COORDINATOR, type Message } from '../../../src/runtime/protocol.js';
import { runDistributed } from '../../../src/runtime/runDistributed.js';
import { serveWorker } from '../../../src/runtime/serveWorker.js';
import type { Transport } from '../../../src/runtime/Transport.js';
import { expected, pipeline } from '../../../examples/workloads/pipeline.js';
import { slowSum } from '../../fixtures/workerFaults.js';

/**
 * A backend of one pooled in-process worker (serveWorker over in-memory ports, messages
 * delivered on later turns), whose cluster first hands the coordinator `stale`: what a worker
 * of an earlier run on the same workers sent late. Whatever the worker sends is also pushed
 * to `sent`.
 */
function pooledWorker(stale: readonly Message[], sent: Message[] = []): Backend {
  let toCoordinator: (message: Message) => void = () => undefined;
  let toWorker: (message: Message) => void = () => undefined;
  const later = (deliver: (message: Message) => void, message: Message): void =>
    void setImmediate(() => deliver(message));
  const worker: Transport = {
    self: 0,
    send: (_to, message) => {
      sent.push(message);
      later(toCoordinator, message);
    },
    onMessage: (handler) => void (toWorker = handler),
    close: () => undefined,
  };
  serveWorker('test', worker);
  return {
    name: 'test',
    execute: (workflow, spec) =>
      runDistributed(workflow, spec, {
        backend: 'test',
        plan: planInstances(spec.graph, 1),
        batchSize: 64,
        window: 4,
        heartbeatTimeoutMs: 30_000,
        eagerStart: true,
        launch: async () => ({
          transport: {
            self: COORDINATOR,
            send: (_to, message) => later(toWorker, message),
            onMessage: (handler) => {
              toCoordinator = handler;
              for (const message of stale) later(handler, message);
            },
            close: () => undefined,
          },
          describe: (w) => `worker ${w}`,
          onLost: () => undefined,
          shutdown: () => undefined,
        }),
      }),
  };
}

describe('runDistributed', () => {
  it('ignores what a pooled worker sent late for an earlier run: its result and its done', async () => {
    // Before, an earlier run's late `done` ended this run before its worker had sent anything
    // (MPI: a run after a failed one returned `{ Sum: [] }`), and its result counted here.
    const backend = pooledWorker([
      { kind: 'result', run: 'earlier', from: 0, output: 'Sum', values: [999] },
      { kind: 'done', run: 'earlier', from: 0 },
    ]);
    expect(await collect(pipeline, backend, { iterations: 1000 })).toEqual(expected(1000));
  });

  it('has a worker beat only while it serves a run: not before, at least once in a run of over a second, not after', async () => {
    const sent: Message[] = [];
    const backend = pooledWorker([], sent);
    const beats = (): number => sent.filter((m) => m.kind === 'heartbeat').length;
    const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
    await pause(1300);
    expect(beats()).toBe(0);
    // 1 µs of busy waiting per item: well over a second.
    const n = 1_200_000;
    expect(await collect(slowSum, backend, { iterations: n })).toEqual({
      SlowSum: [(n * (n + 1)) / 2],
    });
    const during = beats();
    expect(during).toBeGreaterThan(0);
    await pause(1300);
    expect(beats()).toBe(during);
  }, 30_000);
});
