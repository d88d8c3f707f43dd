import { availableParallelism } from 'node:os';
import type { Backend } from '../../src/backend.js';
import { flowOptions } from '../../src/runtime/flowOptions.js';
import { assertOption, isNonNegativeInteger, isPositiveInteger } from '../../src/dsl/options.js';
import { BackendError } from '../../src/errors.js';
import type { WorkflowGraph } from '../../src/graph/WorkflowGraph.js';
import { planInstances, type ExecutionPlan } from '../../src/plan/plan.js';
import { COORDINATOR } from '../../src/runtime/protocol.js';
import { runDistributed, type Cluster } from '../../src/runtime/runDistributed.js';
import { loadAddon } from './addon.js';
import { jobSize, runInJob } from './inJob.js';
import { MpiJob, type JobOptions } from './job.js';
import { MPI_BYTE_NS } from './RankNode.js';
import { tagRank } from './tagRank.js';
import { rankV8Flags } from './rankV8Flags.js';

/** Options of {@link mpi}. */
export interface MpiOptions {
  /**
   * Ranks to launch (`mpirun -n ranks`). Inside an `mpiexec -n N` job the job's size is used,
   * and this, if given, must match. Default: the number of cores.
   */
  readonly ranks?: number;
  /** PE names to co-locate on one rank each (dispel4py's `graph.partitions`). */
  readonly partitions?: readonly (readonly string[])[];
  /**
   * Items per batch between ranks (at most: fewer when they carry ~1 MiB of typed arrays, or
   * when the receiver's items are costly). Default 4096.
   */
  readonly batchSize?: number;
  /** Batches in flight per channel before the sender waits (flow control). Default 16. */
  readonly window?: number;
  /** A rank whose event loop is silent this long is declared lost. Default 30 000 ms. */
  readonly heartbeatTimeoutMs?: number;
  /** The launcher command. Default `$DISPEL4TS_MPIRUN` or `mpirun`. */
  readonly mpirun?: string;
  /**
   * Extra launcher arguments, placed before the program: `['--mca', 'btl', 'tcp,self']` forces
   * Open MPI's TCP transport, `['--host', 'a,b']` places ranks. `--oversubscribe` (and, as
   * root, `--allow-run-as-root`) are added for Open MPI, and `--bind-to none` unless these
   * give a `--bind-to`.
   */
  readonly mpirunArgs?: readonly string[];
  /**
   * Extra Node.js arguments for every rank (`['--max-old-space-size=8192']`), after the
   * backend's own V8 flags (`--initial-old-space-size=64`, and `--single-threaded-gc` when the
   * ranks are at least the cores), which they can override.
   */
  readonly nodeArgs?: readonly string[];
  /**
   * How long the ranks of a finished run stay, idle, for the next run of this backend (they
   * never keep the process alive). 0: end the job at once. Default 5000 ms.
   */
  readonly idleMs?: number;
  /** How long the ranks may take to start. Default 60 000 ms. */
  readonly startupTimeoutMs?: number;
}

/** The MPI backend, which can also print its plan for a graph. */
export interface MpiBackend extends Backend {
  /** Which rank runs each PE instance of `graph`. */
  plan(graph: WorkflowGraph): ExecutionPlan;
  /** Ends the idle job kept for the next run, if any (its ranks finalize and leave). */
  close(): Promise<void>;
}

/**
 * The MPI backend: PE instances spread over the ranks of an MPI job (dispel4py's `mpi`
 * mapping), through a native Node-API addon over the system's MPI library. Each rank imports
 * the workflow's module by path and runs the instances the plan gives it; items go rank to
 * rank as MPI messages (batches of items, V8-serialised; typed arrays sent as raw bytes
 * without a copy), with credit flow control; every result reaches the caller.
 *
 * Two ways to run. From an ordinary Node process, `run(wf, mpi({ ranks: 4 }))` launches
 * `mpirun -n 4` itself and streams results back; the job's ranks stay for the next run of the
 * same backend for `idleMs`. Inside `mpiexec -n 4 node app.js` (or `mpiexec -n 4 dispel4ts mpi
 * wf.ts`), where every rank runs the same program, `mpi()` uses the job: rank 0 gets every
 * result, the other ranks' results complete empty.
 *
 * Failures: a throwing PE gives a `PEError` naming PE, instance and rank; a rank that dies
 * ends the job (mpirun kills the others) and gives a `WorkerLostError` naming the rank and its
 * PE instances, within seconds; inside `mpiexec` every failure ends the job with MPI_Abort
 * after rank 0 reports it.
 *
 * @example
 * ```ts
 * import { collect } from 'dispel4ts';
 * import { mpi } from 'dispel4ts/backends/mpi';
 *
 * const { Sum } = await collect(pipeline, mpi({ ranks: 4 }), { iterations: 1_000_000 });
 * // Output: Sum = [ 500002500000 ]
 * ```
 */
export function mpi(options: MpiOptions = {}): MpiBackend {
  const size = jobSize();
  if (options.ranks !== undefined) {
    assertOption('mpi() options.ranks', options.ranks, isPositiveInteger, 'a positive integer');
    if (size !== undefined && options.ranks !== size) {
      throw new BackendError(
        'mpi',
        `mpi({ ranks: ${options.ranks} }) inside an mpiexec job of ${size} ranks: give the number of processes once, to mpiexec`,
      );
    }
  }
  const ranks = size ?? options.ranks ?? availableParallelism();
  const { batchSize, window, heartbeatTimeoutMs } = flowOptions('mpi', options, {
    batchSize: 4096,
    window: 16,
    heartbeatTimeoutMs: 30_000,
  });
  const idleMs = options.idleMs ?? 5000;
  assertOption('mpi() options.idleMs', idleMs, isNonNegativeInteger, 'a non-negative integer (ms)');
  const job: JobOptions = {
    ranks,
    mpirun: options.mpirun ?? process.env.DISPEL4TS_MPIRUN ?? 'mpirun',
    mpirunArgs: options.mpirunArgs ?? [],
    nodeArgs: [...rankV8Flags(ranks), ...(options.nodeArgs ?? [])],
    startupTimeoutMs: options.startupTimeoutMs ?? 60_000,
  };
  const pool = new JobPool(idleMs);
  const plan = (graph: WorkflowGraph): ExecutionPlan =>
    planInstances(graph, ranks, options.partitions);
  return {
    name: 'mpi',
    plan,
    close: () => pool.close(),
    execute: (workflow, spec) => {
      const common = {
        backend: 'mpi',
        plan: plan(spec.graph),
        batchSize,
        window,
        heartbeatTimeoutMs,
        // MPI holds a message until its rank receives it, and a rank keeps what arrives
        // before it has loaded the workflow: `start` goes with `assign`, no ready round trip.
        eagerStart: true,
      };
      if (size !== undefined) return runInJob(workflow, spec, common);
      return runDistributed(workflow, spec, {
        ...common,
        launch: async () => {
          loadAddon(); // fail fast, in one line, when the addon is not built
          const running = await pool.acquire(job);
          return clusterOf(running, (clean) => pool.release(running, clean));
        },
      });
    },
  };
}

function clusterOf(job: MpiJob, release: (clean: boolean) => Promise<void>): Cluster {
  job.ref(true);
  return {
    transport: {
      self: COORDINATOR,
      byteNs: MPI_BYTE_NS,
      send: (to, message, transfer) => job.send(to, message, transfer),
      onMessage: (handler) => job.onMessage((message) => handler(tagRank(message))),
      close: () => undefined,
    },
    describe: (rank) => `rank ${rank}`,
    onLost: (callback) => job.onLost(callback),
    shutdown: (clean) => {
      job.onMessage(() => undefined);
      job.onLost(() => undefined);
      return release(clean);
    },
  };
}

/**
 * MPI jobs kept between runs: a run that ends cleanly leaves its job here, idle (unreferenced,
 * so it never keeps the process alive) for `idleMs`, for the next run of the same backend; a
 * run that lost a rank or was cancelled ends its job.
 */
class JobPool {
  private idle: MpiJob | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly idleMs: number) {}

  acquire(options: JobOptions): Promise<MpiJob> {
    const job = this.idle;
    this.idle = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (job && job.alive && job.ranks === options.ranks) return Promise.resolve(job);
    void job?.terminate();
    return MpiJob.launch(options);
  }

  close(): Promise<void> {
    const job = this.idle;
    this.idle = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return job ? job.terminate() : Promise.resolve();
  }

  release(job: MpiJob, clean: boolean): Promise<void> {
    if (!clean || !job.alive || this.idle || this.idleMs === 0) return job.terminate();
    job.ref(false);
    this.idle = job;
    this.idleTimer = setTimeout(() => {
      if (this.idle === job) this.idle = undefined;
      void job.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
    return Promise.resolve();
  }
}
