import { EMPTY, merge, map, Observable, Subject, takeUntil } from 'rxjs';
import { definePE, DRAIN, type InstanceContext, type PEOptions } from './definition.js';
import { checkedInstances, multiPortPE, singlePortPE, type MultiPE, type PE } from './pe.js';

/**
 * Base class for PEs written dispel4py's way: `process(inputs)` is called for each arriving
 * item with `{ [port]: item }` (one port per call, as dispel4py does; there is no join), and
 * writes to outputs with `this.write(port, value)` or by returning `{ [port]: value }`.
 * `preprocess()` runs before the first item and `postprocess()` after all inputs ended, and
 * may still write (how aggregates emit). One object is created per instance, so fields are
 * per-instance state.
 *
 * @example
 * ```ts
 * class WordCounter extends GenericPE<{ input: [string] }, { output: [string, number] }> {
 *   counts = new Map<string, number>();
 *   process({ input }: Partial<{ input: [string] }>) {
 *     const [word] = input!;
 *     const count = (this.counts.get(word) ?? 0) + 1;
 *     this.counts.set(word, count);
 *     this.write('output', [word, count]);
 *   }
 * }
 * const Counter = genericPE('WordCounter', WordCounter, { instances: 3 });
 * ```
 */
export abstract class GenericPE<In = { input: unknown }, Out = { output: unknown }> {
  /** This instance's place in the run (its PE name, instance number, iterations). */
  context!: InstanceContext;
  /** @internal set by the runtime */
  writer!: (port: string, value: unknown) => void;

  /** Writes `value` to output `port`. */
  write<K extends keyof Out & string>(port: K, value: Out[K]): void {
    this.writer(port, value);
  }

  preprocess(): void {}

  abstract process(inputs: Partial<In>): Partial<Out> | void;

  postprocess(): void {}
}

/** Ports of a generic PE (default: `input` and `output`) and its options. */
export interface GenericPEOptions<In, Out> extends PEOptions {
  readonly inputs?: readonly (keyof In & string)[];
  readonly outputs?: readonly (keyof Out & string)[];
}

/**
 * Makes a PE from a {@link GenericPE} class: the same kind of node in the graph as any PE.
 * With ports `input` and `output` only, it is a one-in, one-out operator; otherwise it takes
 * and returns records of streams.
 */
export function genericPE<In, Out>(
  name: string,
  Class: new () => GenericPE<In, Out>,
  options: GenericPEOptions<In, Out> = {},
): MultiPE<In, Out> & PE<In[keyof In], Out[keyof Out]> {
  const inputs: readonly string[] = options.inputs ?? ['input'];
  const outputs: readonly string[] = options.outputs ?? ['output'];
  const definition = {
    name,
    kind: 'pe' as const,
    inputs,
    outputs,
    instances: checkedInstances(name, options),
    body: (streams: Readonly<Record<string, Observable<unknown>>>, context: InstanceContext) => {
      const subjects = new Map(outputs.map((port) => [port, new Subject<unknown>()]));
      const pe = new Class();
      pe.context = context;
      pe.writer = (port, value) => {
        const subject = subjects.get(port);
        if (!subject) {
          throw new RangeError(
            `PE "${name}" wrote to "${port}", which is not one of its outputs (${outputs.join(', ')})`,
          );
        }
        subject.next(value);
      };
      const tagged = inputs.map((port) =>
        (streams[port] ?? EMPTY).pipe(map((value) => ({ port, value }))),
      );
      // A PE with no inputs is a root, as in dispel4py: `process({})` once per iteration this
      // instance owns (i ≡ instance mod instances), or once per input data item (`-d`).
      const arriving: Observable<{ port: string | undefined; value: unknown }> =
        inputs.length > 0 ? merge(...tagged) : rootCalls(context);
      // One subscription to the inputs drives every output. It starts once every output port
      // has a subscriber (or, with none, when the drain is subscribed): a port subscribed
      // later would miss what a synchronous upstream (a fused producer) already wrote.
      let started = false;
      const subscribedPorts = new Set<string>();
      // Stops the drive when the last reader of every port has gone (an unsubscribe, `take`,
      // a stopped run) — through takeUntil, so a synchronous root loop sees it mid-loop.
      const stop = new Subject<void>();
      let stopped = false;
      let readers = 0;
      const drive = new Observable<never>((subscriber) => {
        try {
          pe.preprocess();
        } catch (error) {
          subscriber.error(error);
          return undefined;
        }
        return arriving.pipe(takeUntil(stop)).subscribe({
          next: ({ port, value }) => {
            try {
              const returned = pe.process(
                (port === undefined ? (value ?? {}) : { [port]: value }) as Partial<In>,
              );
              if (returned) {
                for (const [out, v] of Object.entries(returned))
                  if (v !== undefined) pe.writer(out, v);
              }
            } catch (error) {
              subscriber.error(error);
            }
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            if (stopped) return;
            try {
              pe.postprocess();
            } catch (error) {
              subscriber.error(error);
              return;
            }
            subscriber.complete();
          },
        });
      });
      const start = (): void => {
        if (started) return;
        started = true;
        drive.subscribe({
          error: (error: unknown) => subjects.forEach((s) => s.error(error)),
          complete: () => subjects.forEach((s) => s.complete()),
        });
      };
      const record: Record<string, Observable<unknown>> = {};
      for (const [port, subject] of subjects) {
        record[port] = new Observable((subscriber) => {
          readers++;
          // Registered before the drive starts: a synchronous root runs inside start(), and
          // an unsubscribe from within (`take`) must reach it mid-loop.
          subscriber.add(subject.subscribe(subscriber));
          subscriber.add(() => {
            if (--readers === 0 && started && !stopped) {
              stopped = true;
              stop.next();
            }
          });
          subscribedPorts.add(port);
          if (subscribedPorts.size === subjects.size) start();
        });
      }
      if (outputs.length === 0) record[DRAIN] = drive;
      return record;
    },
  };
  const single =
    inputs.length === 1 &&
    inputs[0] === 'input' &&
    outputs.length <= 1 &&
    (outputs[0] ?? 'output') === 'output';
  const fn = single ? singlePortPE(definition) : multiPortPE(definition);
  return definePE(fn, definition) as unknown as MultiPE<In, Out> & PE<In[keyof In], Out[keyof Out]>;
}

/**
 * The calls of a root GenericPE (no inputs): one `process({})` per iteration this instance
 * owns, or, given input data (`-d`), one per data item it owns (dispel4py passes each item,
 * a `{ port: value }` record, as the inputs).
 */
function rootCalls(context: InstanceContext): Observable<{ port: undefined; value: unknown }> {
  return new Observable((subscriber) => {
    const { instance, instances, data, yieldEvery } = context;
    const count = data ? data.length : context.iterations;
    let i = instance;
    // With `yieldEvery` (the CLI's sequential runs), the event loop gets a turn now and then.
    const slice = (): void => {
      for (let n = 0; i < count && !subscriber.closed; i += instances) {
        if (yieldEvery !== undefined && n++ >= yieldEvery) {
          setImmediate(slice);
          return;
        }
        subscriber.next({ port: undefined, value: data ? data[i] : undefined });
      }
      subscriber.complete();
    };
    slice();
  });
}
