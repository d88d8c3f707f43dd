import type { Backend } from '../backend.js';

/** The flags of `dispel4ts run` a backend's factory reads. */
export interface BackendFlags {
  /** `-n`: processes, threads or ranks (only for a backend whose entry has `processes`). */
  readonly processes?: number;
  /** The backend's own options (`--broker URL`), by commander's camel-cased name. */
  readonly options: Readonly<Record<string, unknown>>;
  /** `--verbose` was given. */
  readonly verbose: boolean;
}

/** One option a backend adds to `dispel4ts run` (and to its mapping command). */
export interface BackendOption {
  /** Commander's flags string: `'--broker <url>'`. */
  readonly flags: string;
  readonly description: string;
}

/**
 * One entry of the CLI's backend registry: everything the `dispel4ts` command knows about a
 * backend. Adding a backend to the command is adding one entry to {@link backends}; its
 * module is imported only when a run asks for it, so start-up stays fast.
 */
export interface BackendEntry {
  /** The `--backend` value: `sequential`, `threads`, `mpi`, `mqtt`. */
  readonly name: string;
  /** Other accepted `--backend` values (dispel4py's mapping names among them). */
  readonly aliases: readonly string[];
  /**
   * dispel4py's mapping name, which is also a command: `dispel4ts simple <file>` is
   * `dispel4ts run <file> --backend sequential`.
   */
  readonly mapping?: string;
  /** One line for `--help`. */
  readonly description: string;
  /** Present when the backend takes `-n`: what `-n` counts for it. */
  readonly processes?: { readonly description: string };
  /** The backend's own options. */
  readonly options?: readonly BackendOption[];
  /**
   * Whether the backend's engine runs PEs on the calling thread, where a synchronous PE
   * would keep the CLI from drawing progress and answering Ctrl-C. The CLI then runs it on
   * an engine thread of its own.
   */
  readonly inProcess?: boolean;
  /** Imports the backend's module (lazily) and makes the backend from the parsed flags. */
  create(flags: BackendFlags): Promise<Backend>;
  /**
   * When this process is not the coordinator but one of the backend's workers (an MPI rank
   * other than 0 under `mpiexec`): serves as that worker and resolves the exit code.
   * Returns `undefined`, cheaply, otherwise. Checked before the workflow file is loaded.
   */
  worker?(flags: BackendFlags): Promise<number> | undefined;
}
