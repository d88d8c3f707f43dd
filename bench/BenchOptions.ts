/** The options of one harness run (`npm run bench -- ...`). */
export interface BenchOptions {
  /** Workload ids to run (`--workload W1,W3`); default: all, W1-bounded included. */
  readonly workloads: readonly string[] | undefined;
  /** Backends to run (`--backend sequential,threads`); default: every available one. */
  readonly backends: readonly string[] | undefined;
  /** Instances of the parallel PE, and workers to match (`--k 1,2`); default 1,2. */
  readonly ks: readonly number[];
  /** Size for every selected workload (`--n N`); default: each workload's own. */
  readonly n: number | undefined;
  /** Measured runs per configuration (`--repeat R`); default 5 (quick: 1). */
  readonly repeat: number;
  /**
   * Fresh processes per configuration (`--processes P`), their runs pooled; default 1 (quick:
   * always 1). The harness goes through every configuration once per process, so the
   * processes of one configuration run minutes apart.
   */
  readonly processes: number;
  /** Where to write the records as JSON (`--json FILE`), besides the output folder. */
  readonly json: string | undefined;
  /** Where the report, JSON and charts go (`--out DIR`); default bench/results (quick: bench/results/quick). */
  readonly out: string;
  /** Small sizes, one run, one shared child per backend: checks the harness in seconds. */
  readonly quick: boolean;
  /** Longest a measuring child may take, in seconds (`--timeout S`); default 300. */
  readonly timeoutS: number;
}
