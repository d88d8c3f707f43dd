import type { Backend } from '../src/index.js';

/**
 * A backend the harness can run, one entry per backend in {@link backends}. A backend that
 * lands later (mpi, mqtt) adds one entry: how to tell whether it can run here, how `k` maps to
 * its workers / ranks / nodes, how to make it, and, when its processes must be launched by
 * something else (mpirun), how to wrap the measuring child's command line.
 */
export interface BenchBackend {
  /** What `--backend` selects and records carry. */
  readonly name: string;
  /** Why it cannot run on this machine (a missing module, service or launcher), or undefined. */
  available(): Promise<string | undefined>;
  /** Workers (threads, ranks, nodes) for `k` instances of the parallel PE; 0: in-process. */
  workers(k: number): number;
  /**
   * Makes the backend for `k`, in the measuring child. Called once per configuration: its
   * runs (warm-up and measured) share it, so a backend that keeps warm workers reuses them.
   */
  make(k: number): Promise<Backend>;
  /**
   * Whether a run starts processes besides the measuring child (ranks, nodes, a broker):
   * then the harness samples the whole process tree's resident memory while it runs. Left
   * out (in-process and thread backends), the child's own exact peak is the figure, and
   * nothing samples beside the measured run.
   */
  readonly processes?: boolean;
  /**
   * The command that starts the measuring child, given the plain one (`[node, ...args]`):
   * e.g. `['mpirun', '-n', '3', ...command]`. Default: the plain command. Every process of
   * the tree is counted in peak RSS; processes that are not the child's own descendants can
   * print `{"kind":"rss","mb":X}` lines on the child's stdout to be added.
   */
  wrap?(command: readonly string[], k: number): string[];
}
