import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Backend } from '../../src/backend.js';
import { flowOptions } from '../../src/runtime/flowOptions.js';
import { assertOption, isPositiveInteger } from '../../src/dsl/options.js';
import {
  planInstances,
  producersOnCoordinator,
  type ExecutionPlan,
  type ProducerPlacement,
} from '../../src/plan/plan.js';
import type { WorkflowGraph } from '../../src/graph/WorkflowGraph.js';
import { COORDINATOR, type Message } from '../../src/runtime/protocol.js';
import { runDistributed, type Cluster } from '../../src/runtime/runDistributed.js';
import type { ThreadWorkerData } from './workerMain.js';

/** Options of {@link threads}. */
export interface ThreadsOptions {
  /** Worker threads to start. Default: the number of cores. */
  readonly workers?: number;
  /** PE names to co-locate on one worker each (dispel4py's `graph.partitions`). */
  readonly partitions?: readonly (readonly string[])[];
  /**
   * Where producers not named in a partition run. `'coordinator'` (the default): on the
   * caller's thread, which a run otherwise leaves idle, so the workers share the PEs that do
   * the work evenly (W3 k = 2 on 2 workers: one `IsPrime` instance each, rather than one worker
   * also producing). `'workers'`: dealt to workers like any PE.
   */
  readonly producers?: ProducerPlacement;
  /**
   * Items per batch between workers (at most: fewer when they carry ~1 MiB of typed arrays, or
   * when the receiver's items are costly). Default 4096.
   */
  readonly batchSize?: number;
  /** Batches in flight per channel before the sender waits (flow control). Default 16. */
  readonly window?: number;
  /** A worker whose event loop is silent this long is declared lost. Default 30 000 ms. */
  readonly heartbeatTimeoutMs?: number;
  /**
   * How long workers of a finished run stay, idle, for the next run of this backend to reuse
   * (they never keep the process alive). 0: stop them at once. Default 2000 ms.
   */
  readonly idleMs?: number;
}

/** The threads backend, which can also print its plan for a graph. */
export interface ThreadsBackend extends Backend {
  /** Which worker runs each PE instance of `graph`. */
  plan(graph: WorkflowGraph): ExecutionPlan;
}

const entry = new URL('./worker.mjs', import.meta.url);

/**
 * The worker-threads backend: PE instances spread over worker threads (dispel4py's `multi`
 * mapping). Each worker imports the workflow's module by path and rebuilds the graph (no
 * closure is serialised); items flow directly from worker to worker in batches over
 * MessagePorts (all-number batches as Float64Arrays, typed arrays moved rather than copied),
 * with credit flow control so memory stays bounded; results stream back as produced.
 * Any number of workers works: instances are co-located when there are more than workers.
 *
 * A throwing PE, a worker that crashes or exits, or one silent past `heartbeatTimeoutMs`
 * ends the run with an error naming PE and instance, and every worker is stopped;
 * unsubscribing stops the run and frees the workers. Importing it changes nothing in the
 * host process (no signal handlers).
 *
 * @example
 * ```ts
 * import { collect } from 'dispel4ts';
 * import { threads } from 'dispel4ts/backends/threads';
 *
 * const { Sum } = await collect(pipeline, threads({ workers: 2 }), { iterations: 1_000_000 });
 * ```
 */
export function threads(options: ThreadsOptions = {}): ThreadsBackend {
  const workers = options.workers ?? availableParallelism();
  assertOption('threads() options.workers', workers, isPositiveInteger, 'a positive integer');
  const { batchSize, window, heartbeatTimeoutMs } = flowOptions('threads', options, {
    batchSize: 4096,
    window: 16,
    heartbeatTimeoutMs: 30_000,
  });
  const pool = new ThreadPool(options.idleMs ?? 2000);
  const onCoordinator = producersOnCoordinator('threads', options.producers);
  const plan = (graph: WorkflowGraph): ExecutionPlan =>
    planInstances(graph, workers, options.partitions, { producersOnCoordinator: onCoordinator });
  return {
    name: 'threads',
    plan,
    execute: (workflow, spec) =>
      runDistributed(workflow, spec, {
        backend: 'threads',
        plan: plan(spec.graph),
        batchSize,
        window,
        heartbeatTimeoutMs,
        eagerStart: true,
        launch: async () => {
          const mesh = pool.acquire(workers);
          return mesh.cluster((clean) => pool.release(mesh, clean));
        },
      }),
  };
}

/**
 * Worker threads kept between runs: a run that ends cleanly leaves its workers here, idle
 * (unreferenced, so they never keep the process alive) for `idleMs`, for the next run of the
 * same backend to reuse; a failed or cancelled run terminates its workers.
 */
class ThreadPool {
  private idle: Mesh | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly idleMs: number) {}

  acquire(count: number): Mesh {
    const mesh = this.idle;
    this.idle = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (mesh && mesh.count === count && mesh.alive) {
      mesh.ref();
      return mesh;
    }
    void mesh?.terminate();
    return new Mesh(count);
  }

  release(mesh: Mesh, clean: boolean): Promise<void> {
    if (!clean || !mesh.alive || this.idle || this.idleMs === 0) return mesh.terminate();
    mesh.unref();
    this.idle = mesh;
    this.idleTimer = setTimeout(() => {
      if (this.idle === mesh) this.idle = undefined;
      void mesh.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
    return Promise.resolve();
  }
}

/** `count` worker threads joined in a full mesh of MessageChannels. */
class Mesh {
  private readonly workers: Worker[];
  private handler: (message: Message) => void = () => undefined;
  private lost: (worker: number, reason: string) => void = () => undefined;
  private stopping = false;
  alive = true;

  constructor(readonly count: number) {
    const peers: (MessagePort | null)[][] = Array.from({ length: count }, () =>
      Array.from({ length: count }, () => null),
    );
    for (let a = 0; a < count; a++) {
      for (let b = a + 1; b < count; b++) {
        const { port1, port2 } = new MessageChannel();
        peers[a]![b] = port1;
        peers[b]![a] = port2;
      }
    }
    this.workers = peers.map((ports, self) => {
      const workerData: ThreadWorkerData = { self, peers: ports };
      return new Worker(entry, {
        workerData,
        transferList: ports.filter((p): p is MessagePort => p !== null),
      });
    });
    this.workers.forEach((worker, w) => {
      worker.on('message', (message: Message) => this.handler(message));
      worker.on('error', (error) => {
        this.alive = false;
        this.lost(w, `uncaught ${error.name}: ${error.message}`);
      });
      worker.on('exit', (code) => {
        this.alive = false;
        if (!this.stopping) this.lost(w, `exited with code ${code}`);
      });
    });
  }

  cluster(release: (clean: boolean) => Promise<void>): Cluster {
    return {
      transport: {
        self: COORDINATOR,
        movesBuffers: true,
        send: (to, message, transfer) =>
          this.workers[to]!.postMessage(message, transfer as ArrayBuffer[] | undefined),
        onMessage: (handler) => {
          this.handler = handler;
        },
        close: () => undefined,
      },
      describe: (w) => `worker thread ${w}`,
      onLost: (callback) => {
        this.lost = callback;
      },
      shutdown: (clean) => {
        this.handler = () => undefined;
        this.lost = () => undefined;
        return release(clean);
      },
    };
  }

  ref(): void {
    for (const worker of this.workers) worker.ref();
  }

  unref(): void {
    for (const worker of this.workers) worker.unref();
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    this.alive = false;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
