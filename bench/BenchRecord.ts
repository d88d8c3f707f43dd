/** One line of a run's JSON: one configuration, summarised over its measured runs. */
export interface BenchRecord {
  /** `W1` .. `W5`, or `W1-bounded`. */
  readonly workload: string;
  /** The workflow's name. */
  readonly name: string;
  /** A backend, or a baseline: `loop` (plain loop), `rxjs` (plain RxJS). */
  readonly backend: string;
  /** Instances of the workload's parallel PE (and the workers the backend maps them to). */
  readonly k: number;
  /** Workers / threads / ranks / nodes (0: in-process). */
  readonly workers: number;
  /** Items (W5: traces). */
  readonly n: number;
  /** Measured runs per process. */
  readonly repeat: number;
  /** Fresh processes the runs were measured in (`--processes`); the figures pool their runs. */
  readonly processes: number;
  /** Median wall seconds of one run (null when the configuration failed). */
  readonly wall_s: number | null;
  readonly wall_min_s: number | null;
  readonly wall_max_s: number | null;
  /** The unmeasured warm-up run (with worker start-up), when there was one. */
  readonly cold_wall_s: number | null;
  /** n / median wall. */
  readonly items_per_s: number | null;
  /** n / fastest wall: on a shared, noisy machine, the closest to the uncontended figure. */
  readonly items_per_s_best: number | null;
  /** Median CPU seconds of a run, every thread of the measuring process (not other processes). */
  readonly cpu_s: number | null;
  /** Median of CPU seconds over wall seconds per run: the cores the run kept busy. */
  readonly cores: number | null;
  /** MB (10^6 bytes) of payload per second, for W5; null otherwise. */
  readonly mb_per_s: number | null;
  /** Peak resident memory of the process tree, MiB. */
  readonly peak_rss_mb: number;
  /** Every run's answer was checked and right. A wrong answer is a failure, never a figure. */
  readonly answer_ok: boolean;
  /** items/s over the plain-RxJS baseline's items/s for the same workload and n, same run. */
  readonly vs_rxjs: number | null;
  /** W3: items/s over the same backend's k = 1 items/s. */
  readonly speedup: number | null;
  /** W3: speedup / k. */
  readonly efficiency: number | null;
  /** Whether the configuration had a process to itself (false in --quick). */
  readonly isolated: boolean;
  /** Why it failed. */
  readonly error?: string;
}
