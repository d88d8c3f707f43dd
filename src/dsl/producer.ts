import { from, isObservable, Observable, type ObservableInput } from 'rxjs';
import { activeTracer, TracedStream } from '../graph/trace.js';
import {
  definePE,
  type CountedIterator,
  standaloneContext,
  type InstanceContext,
  type PEDefinition,
  type PEOptions,
  type ProducerOutput,
} from './definition.js';
import { checkedInstances } from './pe.js';
import { markTracingAware } from '../graph/trace.js';

/** A PE with no inputs. Inside `workflow()` calling it starts a stream of the graph. */
export interface Producer<T> {
  /** Outside a workflow: the items it would produce, for `iterations` (default 1). */
  (options?: { readonly iterations?: number }): Observable<T>;
  readonly peName: string;
}

/**
 * A producer in dispel4py's style (ProducerPE): `generate(i)` is called for each iteration
 * `i = 0 .. iterations-1` of the run (`-i N`, `run(..., { iterations })`) and what it returns
 * is emitted. With `instances: k`, instance `j` handles the iterations `i ≡ j (mod k)`.
 * Given input data for the PE (`-d`, `run(..., { data: { Name: [...] } })`), it emits that
 * data instead.
 *
 * @example
 * ```ts
 * import { producer } from 'dispel4ts';
 *
 * const Counter = producer('Counter', (i) => i + 1);
 * Counter({ iterations: 3 }).subscribe(console.log);
 * // Output: 1, 2, 3
 * ```
 */
export function producer<T>(
  name: string,
  generate: (iteration: number) => T,
  options: PEOptions = {},
): Producer<T> {
  // A plain iterator, not a generator: its one result object is filled again for every item
  // (the runtime reads each before it asks for the next), where a generator allocates one per
  // item and resumes a frame — a third of a fast producer's cost.
  function iterations(ctx: InstanceContext): CountedIterator<T> {
    let i = ctx.instance;
    const step = { done: false, value: undefined as T };
    return {
      next: () => {
        if (i >= ctx.iterations) return { done: true, value: undefined };
        step.value = generate(i);
        i += ctx.instances;
        return step;
      },
      remaining: () => Math.max(0, Math.ceil((ctx.iterations - i) / ctx.instances)),
    };
  }
  return source<T>(
    name,
    (ctx) =>
      new Observable<T>((subscriber) => {
        for (let i = ctx.instance; i < ctx.iterations && !subscriber.closed; i += ctx.instances) {
          subscriber.next(generate(i));
        }
        subscriber.complete();
      }),
    options,
    iterations,
  );
}

/**
 * A producer whose whole output is one stream: `create(context)` is called once per instance
 * and may return any ObservableInput (an Observable, array, iterable, async iterable, promise).
 * The context gives the run's `iterations`, the instance number and the instance count.
 *
 * @example
 * ```ts
 * import { range } from 'rxjs';
 * const Numbers = source('Numbers', ({ iterations }) => range(0, iterations));
 * ```
 */
export function source<T>(
  name: string,
  create: (context: InstanceContext) => ObservableInput<T>,
  options: PEOptions = {},
  /** @internal a pull form of `create` (producer() gives one) */
  pull?: (context: InstanceContext) => Iterator<T>,
): Producer<T> {
  const definition: PEDefinition = {
    name,
    kind: 'producer',
    inputs: [],
    outputs: ['output'],
    instances: checkedInstances(name, options),
    body: (_inputs, ctx) => ({ output: ctx.data ? from(ctx.data) : from(create(ctx)) }),
    produce: (ctx) => {
      if (ctx.data) return ctx.data[Symbol.iterator]();
      if (pull) return pull(ctx);
      return pullable(create(ctx));
    },
  };
  const fn = (options?: { readonly iterations?: number }): Observable<T> => {
    const tracer = activeTracer();
    if (tracer) return tracer.apply(definition, {})['output'] as TracedStream<T>;
    const ctx = standaloneContext(name, options?.iterations ?? 1);
    return definition.body({}, ctx)['output'] as Observable<T>;
  };
  return definePE(markTracingAware(Object.assign(fn, { peName: name })), definition);
}

/**
 * What a source gave, in the form the distributed runtime can pause: iterables and async
 * iterables are pulled; Observables and promises push.
 */
function pullable(input: ObservableInput<unknown>): ProducerOutput {
  if (isObservable(input)) return input;
  if (typeof input === 'object' && input !== null) {
    if (Symbol.iterator in input) {
      return (input as Iterable<unknown>)[Symbol.iterator]();
    }
    if (Symbol.asyncIterator in input) {
      return (input as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    }
  }
  return from(input);
}
