import type { Observable } from 'rxjs';
import { Tracer, type BuildResult, type TracedWorkflow } from '../graph/trace.js';
import type { WorkflowGraph } from '../graph/WorkflowGraph.js';
import { callerModule } from './callerModule.js';

const kTraced = Symbol('dispel4ts.traced');

/** The output values of a workflow, by output name. */
export type OutputsOf<R> =
  R extends Observable<infer T>
    ? Record<string, T>
    : R extends Readonly<Record<string, Observable<unknown>>>
      ? { [K in keyof R]: R[K] extends Observable<infer T> ? T : never }
      : Record<string, unknown>;

/** One result of a run: a value written to a workflow output, tagged with the output's name. */
export type Result<Out = Record<string, unknown>> = {
  [K in keyof Out & string]: { readonly output: K; readonly value: Out[K] };
}[keyof Out & string];

/**
 * A workflow: its graph as plain data, traced once when `workflow()` is called, and (hidden)
 * the PE functions that enact it. `In` is the type of its input stream (`never` when it has
 * none), `Out` the value types of its outputs by name.
 */
export interface Workflow<In = never, Out = Record<string, unknown>> {
  readonly name: string;
  readonly graph: WorkflowGraph;
  /** The file that defined it: workers import it to rebuild the workflow. */
  readonly module: string | undefined;
  /** @internal */
  readonly [kTraced]: TracedWorkflow;
  /** @internal phantom types */
  readonly __types?: { readonly in: In; readonly out: Out };
}

/**
 * Traces `build` into a workflow graph without running anything.
 *
 * `build` receives the workflow's input stream (fed by `run(..., { input })` or by the
 * stream a workflow is applied to) and pipes producers and streams through PEs. What it
 * returns names the outputs: one stream (named after its PE, `Sum` or `Split.odd`), or a
 * record of streams keyed by output name. Outputs of PEs that nothing reads are outputs too,
 * as in dispel4py.
 *
 * @example
 * ```ts
 * import { map, range, reduce } from 'rxjs';
 * import { allToOne, pe, source, workflow, collect } from 'dispel4ts';
 *
 * const Numbers = source('Numbers', ({ iterations }) => range(0, iterations));
 * const AddOne = pe('AddOne', map((x: number) => x + 1));
 * const Sum = pe('Sum', reduce((a: number, x: number) => a + x, 0));
 *
 * export const pipeline = workflow('pipeline', () =>
 *   Numbers().pipe(AddOne, AddOne, AddOne, allToOne(), Sum),
 * );
 * console.log(await collect(pipeline, undefined, { iterations: 10 }));
 * // Output: { Sum: [ 75 ] }
 * ```
 */
export function workflow<In = never, R extends BuildResult = BuildResult>(
  name: string,
  build: (input: Observable<In>) => R,
): Workflow<In, OutputsOf<R>> {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError('workflow(name, build): name must be a non-empty string');
  }
  const traced = Tracer.trace(name, build as (input: Observable<unknown>) => BuildResult);
  return fromTraced(traced, callerModule());
}

/** @internal Wraps a traced workflow as a Workflow. */
export function fromTraced<In, Out>(
  traced: TracedWorkflow,
  module: string | undefined,
): Workflow<In, Out> {
  return { name: traced.graph.name, graph: traced.graph, module, [kTraced]: traced };
}

/** @internal The traced closures of a workflow. */
export function tracedOf(workflow: Workflow<unknown, unknown>): TracedWorkflow {
  const traced = (workflow as Partial<Workflow<unknown, unknown>>)[kTraced];
  if (!traced) throw new TypeError(`${String(workflow)} is not a workflow made by workflow()`);
  return traced;
}

/** @internal Whether `value` is a Workflow. */
export function isWorkflow(value: unknown): value is Workflow<unknown, unknown> {
  return typeof value === 'object' && value !== null && kTraced in value;
}
