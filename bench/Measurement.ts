/** One configuration to measure: a workload on a backend (or a baseline) at one `k` and size. */
export interface Configuration {
  /** Workload id (`W1` .. `W5`, `W1-bounded`). */
  readonly workload: string;
  /** A backend's name, or a baseline: `loop`, `rxjs`. */
  readonly backend: string;
  readonly k: number;
  readonly n: number;
  /** Measured runs. */
  readonly repeat: number;
  /** Whether to run unmeasured warm-ups first (three; not in --quick). */
  readonly warmup: boolean;
}

/** What the measuring child reports for one configuration. */
export interface Measurement {
  readonly config: Configuration;
  /** Workers / ranks / nodes used (0: in-process). */
  readonly workers: number;
  /** Wall seconds of each measured run (empty when a run failed or answered wrong). */
  readonly walls_s: readonly number[];
  /** CPU seconds (user + system, every thread of the child) of each measured run. */
  readonly cpus_s: readonly number[];
  /** Wall seconds of the first unmeasured warm-up run (which includes starting workers), if any. */
  readonly cold_wall_s: number | null;
  readonly answer_ok: boolean;
  /** Why the configuration failed: an error, a wrong answer, a crash or a timeout. */
  readonly error?: string;
  /** Peak resident memory in MB (MiB) of the whole process tree that ran it. */
  readonly peak_rss_mb: number;
  /** Whether the process ran this configuration alone (false in `--quick`, which shares one). */
  readonly isolated: boolean;
  /** Fresh processes whose runs these are (`poolProcesses`); 1 if absent. */
  readonly processes?: number;
}
