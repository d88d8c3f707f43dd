import { Observable } from 'rxjs';
import type { RunSpec } from '../../src/backend.js';
import type { Result, Workflow } from '../../src/dsl/workflow.js';
import { BackendError } from '../../src/errors.js';
import { COORDINATOR, type Message } from '../../src/runtime/protocol.js';
import {
  runDistributed,
  type Cluster,
  type DistributedOptions,
} from '../../src/runtime/runDistributed.js';
import { serveWorker } from '../../src/runtime/serveWorker.js';
import { loadAddon, type MpiAddon } from './addon.js';
import { tagRank } from './tagRank.js';
import { MPI_BYTE_NS, RankNode } from './RankNode.js';
import { decodeMessage } from './wire.js';

/** The size of the MPI job this process is a rank of, from the launcher's environment. */
export function jobSize(): number | undefined {
  const size = process.env.OMPI_COMM_WORLD_SIZE ?? process.env.PMI_SIZE ?? process.env.PMIX_SIZE;
  return size === undefined ? undefined : Number(size);
}

/** This process's rank in the MPI job it is part of, or undefined outside `mpiexec`. */
export function jobRank(): number | undefined {
  const rank = process.env.OMPI_COMM_WORLD_RANK ?? process.env.PMI_RANK ?? process.env.PMIX_RANK;
  return rank === undefined ? undefined : Number(rank);
}

let used = false;

/**
 * Serves as one of the worker ranks (not rank 0) of an `mpiexec -n N` job whose rank 0 runs the
 * workflow — what `dispel4ts mpi <file>` does on ranks 1 .. N-1 — and resolves 0 when the job
 * ends cleanly (a failure ends the job with MPI_Abort). Returns `undefined` outside such a job
 * and on rank 0, so `serveRank() ?? runTheWorkflow()` works on every rank.
 */
export function serveRank(): Promise<number> | undefined {
  const rank = jobRank();
  if (rank === undefined || rank === 0) return undefined;
  used = true;
  const addon = loadAddon();
  const node = RankNode.start(addon);
  const stopServing = serveWorker('mpi', node.workerTransport());
  return new Promise<number>((resolve) => {
    node.onControl((control) => {
      if (control.op !== 'quit') return;
      stopServing();
      addon.finalize();
      resolve(0);
    });
  });
}

/**
 * @internal A run inside an `mpiexec -n N` job (SPMD: every rank runs the same program and asks for
 * the same run). Rank 0 hosts the coordinator, runs its own share of PE instances, and its
 * Observable gives every result; the other ranks serve their instances and their Observables
 * complete, empty, when the job ends. A failure anywhere is reported on rank 0 and then ends the
 * whole job with MPI_Abort. One run per job: MPI is finalized when it ends.
 */
export function runInJob(
  workflow: Workflow<unknown, unknown>,
  spec: RunSpec,
  options: Omit<DistributedOptions, 'launch'>,
): Observable<Result> {
  return new Observable<Result>((subscriber) => {
    if (used) {
      subscriber.error(
        new BackendError(
          'mpi',
          'one run per mpiexec job: MPI is finalized when the first run ends',
        ),
      );
      return undefined;
    }
    used = true;
    let addon: MpiAddon;
    try {
      addon = loadAddon();
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    const rank = RankNode.start(addon);
    const stopServing = serveWorker('mpi', rank.workerTransport());
    const leave = (): void => {
      stopServing();
      addon.finalize();
    };

    if (rank.rank !== 0) {
      rank.onControl((control) => {
        if (control.op !== 'quit') return;
        leave();
        subscriber.complete();
      });
      return undefined;
    }
    let aborting = false;
    const abortSoon = (): void => {
      if (aborting) return;
      aborting = true;
      setTimeout(() => addon.abort(1), 100);
    };

    let coordinator: (message: Message) => void = () => undefined;
    rank.linkCoordinator({
      fromWorker: (message) => rank.later(() => coordinator(message)),
      fromRank: (bytes) => coordinator(decodeMessage(bytes)),
    });
    let completed = false;
    const cluster: Cluster = {
      transport: {
        self: COORDINATOR,
        byteNs: MPI_BYTE_NS,
        send: (to, message, transfer) => rank.sendToWorker(to, message, transfer),
        onMessage: (handler) => {
          coordinator = (message) => handler(tagRank(message));
        },
        close: () => undefined,
      },
      describe: (worker) => `rank ${worker}`,
      // A rank that dies takes the job with it: mpiexec ends every rank.
      onLost: () => undefined,
      // Failed or cancelled: end every rank, whatever it is doing.
      shutdown: () => {
        if (!completed) return abortSoon();
        for (let r = 1; r < rank.size; r++) rank.sendControl(r, { op: 'quit' });
        leave();
      },
    };
    if (options.plan.workers !== rank.size) {
      subscriber.error(
        new BackendError('mpi', `a plan of ${options.plan.workers} ranks in a job of ${rank.size}`),
      );
      addon.abort(1);
    }
    const subscription = runDistributed(workflow, spec, {
      ...options,
      launch: () => Promise.resolve(cluster),
    }).subscribe({
      next: (result) => subscriber.next(result),
      complete: () => {
        completed = true;
        subscriber.complete();
      },
      error: (error: unknown) => {
        // Report on rank 0, give the caller the error, then end every rank (if the caller's
        // process has not ended first: mpiexec then ends the others).
        console.error(
          `dispel4ts mpi: the job failed (${(error as Error).message ?? String(error)}); aborting every rank`,
        );
        subscriber.error(error);
        setTimeout(() => addon.abort(1), 100);
      },
    });
    return () => subscription.unsubscribe();
  });
}
