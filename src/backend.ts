import type { Observable } from 'rxjs';
import type { WorkflowGraph } from './graph/WorkflowGraph.js';
import type { Result, Workflow } from './dsl/workflow.js';
import type { RunStats } from './runtime/RunStats.js';

/** What a backend is asked to enact: the effective graph and this run's inputs, all data. */
export interface RunSpec {
  /** The workflow's graph with this run's instance overrides applied. */
  readonly graph: WorkflowGraph;
  /** Producer iterations (dispel4py's `-i`), default 1. */
  readonly iterations: number;
  /** Input data per PE name (dispel4py's `-d`): a producer given data emits it instead. */
  readonly data: Readonly<Record<string, readonly unknown[]>>;
  /** The workflow's input stream, when it has one. */
  readonly input?: Observable<unknown>;
  /**
   * Where PE instances count items (and with timing, time them), when the caller asked.
   * Not data: it stays with the caller; distributed backends ask workers to count and merge
   * their reports into it.
   */
  readonly stats?: RunStats;
  /**
   * In-process engines: producers give the event loop a turn after this many items, so a
   * long run on one thread still draws progress and answers signals. Unset: never (the
   * sequential engine then runs synchronously, as under the TestScheduler).
   */
  readonly yieldEvery?: number;
}

/**
 * How a workflow graph is enacted. Every backend gives the same results as `sequential()`
 * for the same graph and input: as a multiset where order across instances is not defined.
 */
export interface Backend {
  readonly name: string;
  /** Reasons this backend cannot run `graph`, checked before anything starts (empty: fine). */
  unsupported?(graph: WorkflowGraph): readonly string[];
  /** Enacts the workflow; subscribing starts the run, unsubscribing stops it. */
  execute(workflow: Workflow<unknown, unknown>, spec: RunSpec): Observable<Result>;
}
