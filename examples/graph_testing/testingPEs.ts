/**
 * The PE library of dispel4py's `graph_testing` examples (`testing_PEs.py`), ported.
 *
 * Two flavours, so the examples exercise both ways of writing a PE:
 * - dispel4py's way: classes extending {@link GenericPE} (`TestProducer`, `TestOneInOneOut`,
 *   `TestOneInOneOutWriter`, `TestTwoInOneOut`, `TestMultiProducer`, `RandomFilter`,
 *   `WordCounter`), made into PEs with `genericPE(name, Class, options)` or the factories
 *   below named after them (`testProducerPE`, `randomFilterPE`, ...);
 * - RxJS's way: `testProducer` (a `producer`), `testOneInOneOut` (a `pe` over `map`) and
 *   `randomWordProducer`.
 *
 * dispel4py's random PEs (`RandomWordProducer`, `RandomFilter`) are made deterministic here,
 * so every example has one checkable answer on every backend: the word of iteration `i` is
 * `WORDS[mix32(i) % 7]`, and a filter keeps an item by a coin flip seeded with its own name
 * and the item's iteration number (so the decision does not depend on which instance of the
 * filter sees the item, nor in which order).
 */
import { map } from 'rxjs';
import {
  GenericPE,
  genericPE,
  hashKey,
  pe,
  producer,
  type PE,
  type PEOptions,
  type Producer,
} from '../../src/index.js';

/* Deterministic randomness */

/** The seven words of dispel4py's `RandomWordProducer`. */
export const WORDS = [
  'dispel4py',
  'computing',
  'mpi',
  'processing',
  'simple',
  'analysis',
  'data',
] as const;

/** A word and the iteration that produced it: `[word, iteration]` (dispel4py: `[word]`). */
export type WordItem = readonly [word: string, iteration: number];

/** A word and how often an instance has seen it so far (dispel4py's `WordCounter` output). */
export type WordCount = readonly [word: string, count: number];

/** A 32-bit integer hash (Chris Wellons' lowbias32): the seeded "random" of these examples. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The word `RandomWordProducer` emits at iteration `i`. */
export function randomWord(i: number): string {
  return WORDS[mix32(i) % WORDS.length]!;
}

/** Whether the `RandomFilter` named `filter` keeps the word of iteration `i`. */
export function keeps(filter: string, i: number): boolean {
  return (mix32(i ^ hashKey(filter)) & 1) === 0;
}

/**
 * What a `WordCounter` emits for a stream of words, as a multiset: each word seen `c` times
 * gives `[word, 1] .. [word, c]` (its running count), whatever the order of arrival, as long
 * as every occurrence of a word reaches the same instance (group-by on the word).
 */
export function runningCounts(words: Iterable<string>): WordCount[] {
  const counts = new Map<string, number>();
  const out: WordCount[] = [];
  for (const word of words) {
    const count = (counts.get(word) ?? 0) + 1;
    counts.set(word, count);
    out.push([word, count]);
  }
  return out;
}

/** `[1, 2, .., n]`: what `TestProducer` emits in `n` iterations. */
export function counter(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/* RxJS-style PEs */

/** dispel4py's `TestProducer()` as a `producer`: 1, 2, 3, ... one per iteration. */
export function testProducer(name = 'TestProducer', options?: PEOptions): Producer<number> {
  return producer(name, (i) => i + 1, options);
}

/** dispel4py's `TestOneInOneOut` as a `pe`: every item passes unchanged. */
export function testOneInOneOut<T = number>(
  name = 'TestOneInOneOut',
  options?: PEOptions,
): PE<T, T> {
  return pe(
    name,
    map((item: T) => item),
    options,
  );
}

/** dispel4py's `RandomWordProducer` as a `producer`: `[word, i]` for iteration `i`. */
export function randomWordProducer(name = 'RandomWordProducer'): Producer<WordItem> {
  return producer(name, (i): WordItem => [randomWord(i), i]);
}

/* dispel4py-style PEs (GenericPE) */

/** Ports of `TestProducer(numOutputs)`: `output`, or `output0 .. output{n-1}`. */
export function producerPorts(numOutputs: number): string[] {
  return numOutputs === 1 ? ['output'] : Array.from({ length: numOutputs }, (_, i) => `output${i}`);
}

/**
 * dispel4py's `TestProducer(numOutputs)`: a root PE whose `process({})` is called once per
 * iteration and writes its counter (1, 2, 3, ... per instance) on every output port.
 */
export class TestProducer extends GenericPE<Record<string, never>, Record<string, number>> {
  counter = 0;

  constructor(readonly ports: readonly string[] = ['output']) {
    super();
  }

  process(): Record<string, number> {
    this.counter += 1;
    const result: Record<string, number> = {};
    for (const port of this.ports) result[port] = this.counter;
    return result;
  }
}

/** A `TestProducer` PE with `numOutputs` output ports (see {@link producerPorts}). */
export function testProducerPE(name = 'TestProducer', numOutputs = 1, options: PEOptions = {}) {
  const ports = producerPorts(numOutputs);
  return genericPE<Record<string, never>, Record<string, number>>(
    name,
    class extends TestProducer {
      constructor() {
        super(ports);
      }
    },
    { ...options, inputs: [], outputs: ports },
  );
}

/** dispel4py's `TestOneInOneOut`: returns its input on `output`. */
export class TestOneInOneOut<T = number> extends GenericPE<{ input: T }, { output: T }> {
  process({ input }: Partial<{ input: T }>): Partial<{ output: T }> {
    return { output: input };
  }
}

/** A `TestOneInOneOut` PE. */
export function testOneInOneOutPE<T = number>(name = 'TestOneInOneOut', options: PEOptions = {}) {
  return genericPE<{ input: T }, { output: T }>(name, TestOneInOneOut<T>, options);
}

/** dispel4py's `TestOneInOneOutWriter`: copies its input to `output` with `this.write`. */
export class TestOneInOneOutWriter<T = number> extends GenericPE<{ input: T }, { output: T }> {
  process({ input }: Partial<{ input: T }>): void {
    this.write('output', input!);
  }
}

/**
 * dispel4py's `TestTwoInOneOut`: called once per arriving item (there is no join), it writes
 * the `String` of whichever of `input0` and `input1` is present in this call. So a producer
 * feeding both inputs gives `["1", "1"]`, not `"11"`.
 */
export class TestTwoInOneOut extends GenericPE<
  { input0: unknown; input1: unknown },
  { output: string }
> {
  process(
    inputs: Partial<{ input0: unknown; input1: unknown }>,
  ): Partial<{ output: string }> | void {
    let result = '';
    if ('input0' in inputs) result += String(inputs.input0);
    if ('input1' in inputs) result += String(inputs.input1);
    return result ? { output: result } : undefined;
  }
}

/** dispel4py's `TestMultiProducer(num_output=10)`: writes 0 .. 9 on each call. */
export class TestMultiProducer extends GenericPE<Record<string, never>, { output: number }> {
  readonly numOutput: number = 10;

  process(): void {
    for (let i = 0; i < this.numOutput; i++) this.write('output', i);
  }
}

/**
 * dispel4py's `RandomFilter`: passes an item or drops it by a coin flip. Here the flip is
 * seeded with the filter's name and the item's iteration number (see {@link keeps}).
 */
export class RandomFilter extends GenericPE<{ input: WordItem }, { output: WordItem }> {
  constructor(readonly seed: string) {
    super();
  }

  process({ input }: Partial<{ input: WordItem }>): Partial<{ output: WordItem }> | void {
    return keeps(this.seed, input![1]) ? { output: input } : undefined;
  }
}

/** A `RandomFilter` PE whose coin is seeded with `name`. */
export function randomFilterPE(name = 'RandomFilter', options: PEOptions = {}) {
  return genericPE<{ input: WordItem }, { output: WordItem }>(
    name,
    class extends RandomFilter {
      constructor() {
        super(name);
      }
    },
    options,
  );
}

/**
 * dispel4py's `WordCounter`: counts the words it receives (field 0 of each item) and writes
 * `[word, count so far]` for each. Feed it grouped by field 0 (`groupByKey(0)`, or `[0]` in
 * `WorkflowBuilder.connect`), as dispel4py's `GROUPING: [0]` does, so each instance owns its
 * words.
 */
export class WordCounter extends GenericPE<
  { input: readonly [string, ...unknown[]] },
  { output: WordCount }
> {
  private readonly counts = new Map<string, number>();

  process({ input }: Partial<{ input: readonly [string, ...unknown[]] }>): Partial<{
    output: WordCount;
  }> {
    const word = input![0];
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.set(word, count);
    return { output: [word, count] };
  }
}

/** A `WordCounter` PE. */
export function wordCounterPE(name = 'WordCounter', options: PEOptions = {}) {
  return genericPE<{ input: readonly [string, ...unknown[]] }, { output: WordCount }>(
    name,
    WordCounter,
    options,
  );
}

/** Outputs of {@link TestOneInOneOutTally}. */
export type TallyOut<T> = { output: T; processed: readonly [instance: number, count: number] };

/**
 * `TestOneInOneOut` that also reports, when its input ends, how many items this instance
 * processed: `[instance, count]` on port `processed`. This is what dispel4py's MPI mapping
 * logs per instance ("TestOneInOneOut2 (rank 6): Processed 10 iterations"), as data.
 */
export class TestOneInOneOutTally<T = number> extends GenericPE<{ input: T }, TallyOut<T>> {
  private count = 0;

  process({ input }: Partial<{ input: T }>): void {
    this.count += 1;
    this.write('output', input!);
  }

  override postprocess(): void {
    this.write('processed', [this.context.instance, this.count]);
  }
}

/** A `TestOneInOneOutTally` PE (ports `input`; `output`, `processed`). */
export function testOneInOneOutTallyPE<T = number>(
  name = 'TestOneInOneOut',
  options: PEOptions = {},
) {
  return genericPE<{ input: T }, TallyOut<T>>(name, TestOneInOneOutTally<T>, {
    ...options,
    inputs: ['input'],
    outputs: ['output', 'processed'],
  });
}
