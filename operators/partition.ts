import { filter, type Observable } from 'rxjs';
import type { PEOptions } from '../src/dsl/definition.js';
import { checkedInstances, multiPortPE } from '../src/dsl/pe.js';

/** Options of {@link partition}: the PE's name in the graph (default `Partition`) and instances. */
export interface PartitionOptions extends PEOptions {
  readonly name?: string;
}

/**
 * Splits a stream at a PE boundary.
 *
 * Shaped like RxJS 7's `partition(source, predicate)`: with a predicate it returns
 * `[matching, rest]` (ports `true` and `false`). With a record of predicates it returns a
 * record of streams keyed by port name; each item goes to the first port whose predicate
 * holds, and items matching none are dropped. In a workflow it adds a PE (named `Partition`
 * unless `options.name` says otherwise) whose output ports are those streams.
 *
 * As with RxJS's `partition`, used in-process on a plain cold Observable each returned stream
 * subscribes to the source; inside a workflow the source is read once.
 *
 * @example
 * ```ts
 * const [evens$, odds$] = partition(numbers$, (x) => x % 2 === 0);
 * const { small, large } = partition(numbers$, { small: (x) => x < 10, large: () => true });
 * ```
 */
export function partition<T>(
  source: Observable<T>,
  predicate: (item: T) => boolean,
  options?: PartitionOptions,
): [Observable<T>, Observable<T>];
export function partition<T, P extends string>(
  source: Observable<T>,
  predicates: Readonly<Record<P, (item: T) => boolean>>,
  options?: PartitionOptions,
): { [K in P]: Observable<T> };
export function partition<T>(
  source: Observable<T>,
  predicates: ((item: T) => boolean) | Readonly<Record<string, (item: T) => boolean>>,
  options: PartitionOptions = {},
): [Observable<T>, Observable<T>] | Record<string, Observable<T>> {
  const record: Readonly<Record<string, (item: T) => boolean>> =
    typeof predicates === 'function'
      ? { true: predicates, false: (item: T) => !predicates(item) }
      : predicates;
  const ports = Object.keys(record);
  const portOf = (item: T): string | undefined => ports.find((port) => record[port]!(item));
  const name = options.name ?? 'Partition';
  const split = multiPortPE<{ input: T }, Record<string, T>>({
    name,
    kind: 'pe',
    inputs: ['input'],
    outputs: ports,
    instances: checkedInstances(name, options),
    body: ({ input }) =>
      Object.fromEntries(
        ports.map((port) => [port, input!.pipe(filter((item) => portOf(item as T) === port))]),
      ),
  });
  const outputs = split({ input: source }) as Record<string, Observable<T>>;
  return typeof predicates === 'function' ? [outputs['true']!, outputs['false']!] : outputs;
}
