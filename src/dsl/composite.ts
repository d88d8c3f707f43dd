import { map, type Observable, type OperatorFunction } from 'rxjs';
import { markTracingAware, TracedStream } from '../graph/trace.js';
import { inProcessBackend } from '../runtime/inProcessBackend.js';
import { pe } from './pe.js';
import { run } from './run.js';
import { workflow } from './workflow.js';

/** A sub-workflow used as one PE (dispel4py's CompositePE). */
export interface Composite<I, O> extends OperatorFunction<I, O> {
  readonly compositeName: string;
}

/**
 * A sub-workflow used as one PE (dispel4py's CompositePE): `build` pipes its input through
 * PEs and returns its output stream. In a workflow its PEs join the graph, named
 * `name/PE`; outside a workflow it runs sequentially as an ordinary operator.
 *
 * @example
 * ```ts
 * const Clean = composite('Clean', (in$: Observable<string>) => in$.pipe(Trim, Lower));
 * workflow('wf', () => Lines().pipe(Clean, Count));
 * ```
 */
export function composite<I, O>(
  name: string,
  build: (input: Observable<I>) => Observable<O>,
): Composite<I, O> {
  const fn = (input: Observable<I>): Observable<O> => {
    if (input instanceof TracedStream) return input.tracer.inScope(name, () => build(input));
    const standalone = workflow<I, Observable<O>>(name, build);
    return run(standalone, inProcessBackend, { input }).pipe(map((result) => result.value as O));
  };
  return markTracingAware(Object.assign(fn, { compositeName: name }));
}

/** A step of {@link iterativeChain}: a function, or a function and its extra arguments. */
export type ChainStep =
  | ((value: never) => unknown)
  | readonly [(value: never, params: never) => unknown, unknown];

/**
 * dispel4py's `create_iterative_chain`: a composite PE that applies each function in turn,
 * each as its own PE named after the function. A step `[fn, params]` calls `fn(value, params)`.
 *
 * @example
 * ```ts
 * const Chain = iterativeChain('chain', [addTwo, multiplyByFour, divideByTwo, [subtract, { n: 1 }]]);
 * ```
 */
export function iterativeChain<I = unknown, O = unknown>(
  name: string,
  steps: readonly ChainStep[],
): Composite<I, O> {
  return composite<I, O>(name, (input) => {
    const seen = new Map<string, number>();
    let stream: Observable<unknown> = input;
    for (const step of steps) {
      const [fn, params] = typeof step === 'function' ? [step, undefined] : step;
      const call = fn as (value: unknown, params?: unknown) => unknown;
      const base = fn.name || 'step';
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      const stage = pe(count === 1 ? base : `${base}${count}`, map((value: unknown) => call(value, params)));
      stream = stream.pipe(stage);
    }
    return stream as Observable<O>;
  });
}
