import { from, Observable, type ObservableInput, type OperatorFunction } from 'rxjs';
import type { Backend, RunSpec } from '../backend.js';
import { BackendError, GraphError } from '../errors.js';
import { validate } from '../graph/validate.js';
import type { WorkflowGraph } from '../graph/WorkflowGraph.js';
import { inProcessBackend } from '../runtime/inProcessBackend.js';
import type { RunStats } from '../runtime/RunStats.js';
import { assertOption, isNonNegativeInteger, isPositiveInteger } from './options.js';
import type { Result, Workflow } from './workflow.js';

/** Options of one run. */
export interface RunOptions<In = never> {
  /** Iterations of every producer (dispel4py's `-i`). Default 1. */
  readonly iterations?: number;
  /** Input data per PE name (dispel4py's `-d`): a producer given data emits it instead. */
  readonly data?: Readonly<Record<string, readonly unknown[]>>;
  /** The workflow's input stream, for workflows whose build reads its input. */
  readonly input?: ObservableInput<In>;
  /** Instance counts per PE name for this run, overriding the workflow's. */
  readonly instances?: Readonly<Record<string, number>>;
  /**
   * Counters per PE instance, filled as the run goes, on every backend: items in and out,
   * and with `new RunStats({ timing: true })` busy time and per-item times.
   */
  readonly stats?: RunStats;
  /**
   * On the sequential backend, producers give the event loop a turn after this many items
   * (the CLI uses it to draw progress and answer Ctrl-C during long runs). Default: never.
   */
  readonly yieldEvery?: number;
}

/**
 * Runs a workflow on a backend (default: sequential, in this thread) and returns its
 * results as they are produced, each tagged with its output's name. Nothing starts until
 * the Observable is subscribed; unsubscribing stops the run. A bad graph is rejected before
 * anything runs, with a {@link GraphError} listing every problem.
 *
 * @example
 * ```ts
 * run(pipeline, sequential(), { iterations: 10 }).subscribe(({ output, value }) =>
 *   console.log(output, value),
 * );
 * // Output: Sum 75
 * ```
 */
export function run<In, Out>(
  workflow: Workflow<In, Out>,
  backend: Backend = inProcessBackend,
  options: RunOptions<In> = {},
): Observable<Result<Out>> {
  return new Observable<Result<Out>>((subscriber) => {
    let spec: RunSpec;
    try {
      spec = resolveRunSpec(workflow, backend, options);
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    return backend
      .execute(workflow as Workflow<unknown, unknown>, spec)
      .subscribe(subscriber as unknown as import('rxjs').Subscriber<Result>);
  });
}

/**
 * Runs a workflow and gathers every result per output name (dispel4py's
 * `process_and_return`), on any backend. Every output of the graph is a key, even if it
 * received nothing.
 *
 * @example
 * ```ts
 * const { Sum } = await collect(pipeline, threads({ workers: 2 }), { iterations: 10 });
 * // Sum: [75]
 * ```
 */
export function collect<In, Out>(
  workflow: Workflow<In, Out>,
  backend?: Backend,
  options?: RunOptions<In>,
): Promise<{ [K in keyof Out]: Out[K][] }> {
  const gathered: Record<string, unknown[]> = {};
  for (const output of workflow.graph.outputs) gathered[output.name] = [];
  return new Promise((resolve, reject) => {
    run(workflow, backend, options).subscribe({
      next: ({ output, value }) => (gathered[output] ??= []).push(value),
      error: reject,
      complete: () => resolve(gathered as { [K in keyof Out]: Out[K][] }),
    });
  });
}

/**
 * A whole workflow as an RxJS operator: the source stream is the workflow's input, and the
 * results come out tagged by output name. This is how a workflow embeds in an RxJS app.
 *
 * @example
 * ```ts
 * interval(10).pipe(take(5), asOperator(cleaning)).subscribe(console.log);
 * ```
 */
export function asOperator<In, Out>(
  workflow: Workflow<In, Out>,
  backend?: Backend,
  options: Omit<RunOptions<In>, 'input'> = {},
): OperatorFunction<In, Result<Out>> {
  return (input) => run(workflow, backend, { ...options, input });
}

/** @internal Checks the options and the graph, and resolves them into what a backend gets. */
export function resolveRunSpec<In>(
  workflow: Workflow<In, unknown>,
  backend: Backend,
  options: RunOptions<In>,
): RunSpec {
  const iterations = options.iterations ?? 1;
  assertOption('options.iterations', iterations, isNonNegativeInteger, 'a non-negative integer');
  if (options.yieldEvery !== undefined) {
    assertOption('options.yieldEvery', options.yieldEvery, isPositiveInteger, 'a positive integer');
  }
  const graph = withInstances(workflow.graph, options.instances ?? {});
  const problems = validate(graph);
  if (problems.length > 0) throw new GraphError(graph.name, problems);
  const unsupported = backend.unsupported?.(graph) ?? [];
  if (unsupported.length > 0) {
    throw new BackendError(backend.name, `cannot run workflow "${graph.name}": ${unsupported.join('; ')}`);
  }
  for (const name of Object.keys(options.data ?? {})) {
    if (!graph.nodes.some((node) => node.name === name)) {
      throw new RangeError(
        `options.data names PE "${name}", which workflow "${graph.name}" does not have ` +
          `(its PEs: ${graph.nodes.map((n) => n.name).join(', ')})`,
      );
    }
  }
  return {
    graph,
    iterations,
    data: options.data ?? {},
    ...(options.input !== undefined ? { input: from(options.input) } : {}),
    ...(options.stats !== undefined ? { stats: options.stats } : {}),
    ...(options.yieldEvery !== undefined ? { yieldEvery: options.yieldEvery } : {}),
  };
}

/** The graph with instance counts overridden per PE name. */
function withInstances(
  graph: WorkflowGraph,
  instances: Readonly<Record<string, number>>,
): WorkflowGraph {
  const names = Object.keys(instances);
  if (names.length === 0) return graph;
  for (const name of names) {
    assertOption(`options.instances["${name}"]`, instances[name], isPositiveInteger, 'a positive integer');
    if (!graph.nodes.some((node) => node.name === name)) {
      throw new RangeError(`options.instances names PE "${name}", which workflow "${graph.name}" does not have`);
    }
  }
  return {
    ...graph,
    nodes: graph.nodes.map((node) =>
      node.name in instances ? { ...node, instances: instances[node.name]! } : node,
    ),
  };
}
