import type { Observable } from 'rxjs';

/**
 * What every PE-building function (`pe`, `producer`, `consumer`, `genericPE`, `partition`)
 * produces: a definition held under a module-private symbol on the returned function.
 */
const kPE = Symbol('dispel4ts.pe');

/** A record of Observables keyed by port name: the inputs or outputs of a multi-port PE. */
export type Streams<P> = { [K in keyof P]: Observable<P[K]> };

/** What a PE instance knows about itself when its function is called (once per instance). */
export interface InstanceContext {
  readonly workflow: string;
  readonly pe: string;
  readonly instance: number;
  readonly instances: number;
  /** Producer iterations for this run (dispel4py's `-i`). */
  readonly iterations: number;
  /** Input data given for this PE in this run (dispel4py's `-d`), if any. */
  readonly data?: readonly unknown[];
  /** @internal Producers give the event loop a turn after this many items (RunSpec.yieldEvery). */
  readonly yieldEvery?: number;
}

/** Options every PE accepts. */
export interface PEOptions {
  /** How many copies of the PE run in parallel (dispel4py's `numprocesses`). Default 1. */
  readonly instances?: number;
}

/**
 * @internal Key of the stream a consumer's body returns: subscribed to drive the consumer,
 * never routed. Any stream a body returns under a key that is not an output port is
 * subscribed and its items are dropped.
 */
export const DRAIN = '#drain';

/** @internal The normalised body of any PE: input streams by port in, output streams by port out. */
export type PEBody = (
  inputs: Readonly<Record<string, Observable<unknown>>>,
  context: InstanceContext,
) => Readonly<Record<string, Observable<unknown>>>;

/** @internal A PE's definition, the same for every kind of PE. */
export interface PEDefinition {
  readonly name: string;
  readonly kind: 'pe' | 'producer';
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly instances: number;
  readonly body: PEBody;
  /**
   * Producers only: what the instance produces, as an iterator the runtime pulls from (so a
   * distributed run can pause it when receivers are full) or, for sources that push, an
   * Observable. Used by the distributed runtime; the sequential engine uses `body`.
   */
  readonly produce?: (context: InstanceContext) => ProducerOutput;
}

/** @internal A producer's items: pulled (sync or async iterator) or pushed. */
export type ProducerOutput = Iterator<unknown> | AsyncIterator<unknown> | Observable<unknown>;

/**
 * @internal An iterator that knows how many items it has left (a `producer()`'s, which runs for
 * the run's iterations): the load-aware shuffle uses it to end its receivers together.
 */
export interface CountedIterator<T> extends Iterator<T> {
  remaining(): number;
}

/** @internal How many items `produced` has left, if it can say. */
export function remainingOf(produced: ProducerOutput): (() => number) | undefined {
  const { remaining } = produced as Partial<CountedIterator<unknown>>;
  return typeof remaining === 'function' ? remaining.bind(produced) : undefined;
}

/** @internal Attaches a definition to the function users hold. */
export function definePE<F extends object>(target: F, definition: PEDefinition): F {
  return Object.assign(target, { [kPE]: definition });
}

/** @internal The definition attached to a PE function, if `value` is one. */
export function readPE(value: unknown): PEDefinition | undefined {
  return typeof value === 'function' ? (value as { [kPE]?: PEDefinition })[kPE] : undefined;
}

/** @internal The context of a PE applied directly to a stream, outside any workflow run. */
export function standaloneContext(pe: string, iterations = 1): InstanceContext {
  return { workflow: '(standalone)', pe, instance: 0, instances: 1, iterations };
}
