import type { Workflow } from '../src/index.js';

/** Results per output name, as `collect` gives them. */
export type Results = Record<string, unknown[]>;

/** A workflow module's exports the harness needs: the workflow and its answer. */
export interface WorkloadModule {
  readonly workflow: Workflow<unknown, Record<string, unknown>>;
  /** The right answer for `n` iterations, per output (compared as a multiset). */
  expected(n: number): Results;
}

/**
 * One benchmark workload (shared/bench/WORKLOADS.md): how to run it on a backend, how to
 * check its answer, and the same computation as a plain loop and in plain RxJS.
 */
export interface BenchWorkload {
  /** `W1` .. `W5`, or a variant such as `W1-bounded`: what `--workload` selects. */
  readonly id: string;
  /** The workflow's name (`pipeline`, `wordcount`, ...). */
  readonly name: string;
  /** Size of a full run (WORKLOADS.md's default). */
  readonly defaultN: number;
  /** Size in `--quick` mode. */
  readonly quickN: number;
  /** Bytes per item when the figure is MB/s (W5: one 64 KiB trace). */
  readonly bytesPerItem?: number;
  /** PEs whose instance count is `k` (none: `k` only sets the workers). */
  readonly parallel: readonly string[];
  /** Backends this workload runs on (default: every selected backend). */
  readonly backends?: readonly string[];
  /** The `k` values it runs at, whatever `--k` says (W1-bounded: 2 workers). */
  readonly ks?: readonly number[];
  /** Measured runs, whatever `--repeat` says (W1-bounded: 1, it is long). */
  readonly repeat?: number;
  /** Whether to run an unmeasured warm-up first (default true). */
  readonly warmup?: boolean;
  /** Loads the workflow module (lazily, so a child imports only what it runs). */
  load(): Promise<WorkloadModule>;
  /** A further check of the results (W2: every instance saw only its own keys); a reason, or undefined. */
  check?(results: Results, n: number): string | undefined;
  /** The same computation as a plain loop, returning the results in the workflow's shape. */
  readonly loop?: (n: number) => Results;
  /** The same computation in plain RxJS, without dispel4ts. */
  readonly rxjs?: (n: number) => Promise<Results>;
}
