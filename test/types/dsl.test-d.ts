/**
 * Type tests: ports are typed end to end, and connecting mismatched types does not compile.
 * Run by vitest's typecheck (`typecheck.include` in vitest.config.ts).
 */
import { describe, expectTypeOf, it } from 'vitest';
import { map, of, type Observable } from 'rxjs';
import {
  collect,
  GenericPE,
  genericPE,
  pe,
  producer,
  run,
  workflow,
  type MultiPE,
  type PE,
  type Producer,
  type Result,
  type Streams,
  type Workflow,
} from '../../src/index.js';
import { allToOne, groupByKey, merge, partition } from '../../operators/index.js';

const Numbers = producer('Numbers', (i) => i);
const Double = pe(
  'Double',
  map((x: number) => 2 * x),
);
const Show = pe(
  'Show',
  map((x: number) => `#${x}`),
);
const Upper = pe(
  'Upper',
  map((s: string) => s.toUpperCase()),
);
const Split = pe(
  'Split',
  { inputs: ['input'], outputs: ['even', 'odd'] },
  ({ input }: Streams<{ input: number }>): Streams<{ even: number; odd: string }> => ({
    even: input,
    odd: input.pipe(map(String)),
  }),
);

class Counter extends GenericPE<{ input: string }, { output: readonly [string, number] }> {
  process({ input }: Partial<{ input: string }>): Partial<{ output: readonly [string, number] }> {
    return { output: [input!, 1] };
  }
}
const Count = genericPE('Count', Counter);

describe('PEs', () => {
  it('a one-in/one-out PE is an operator from its input type to its output type', () => {
    expectTypeOf(Numbers).toEqualTypeOf<Producer<number>>();
    expectTypeOf(Double).toEqualTypeOf<PE<number, number>>();
    expectTypeOf(Show).toEqualTypeOf<PE<number, string>>();
    expectTypeOf(of(1).pipe(Double, Show)).toEqualTypeOf<Observable<string>>();
    expectTypeOf(Numbers().pipe(Double, Show, Upper)).toEqualTypeOf<Observable<string>>();
  });

  it('a multi-port PE takes and returns records of streams keyed by port', () => {
    expectTypeOf(Split).toEqualTypeOf<MultiPE<{ input: number }, { even: number; odd: string }>>();
    const { even, odd } = Split({ input: Numbers() });
    expectTypeOf(even).toEqualTypeOf<Observable<number>>();
    expectTypeOf(odd).toEqualTypeOf<Observable<string>>();
    // @ts-expect-error Split has no port "other"
    void Split({ input: Numbers() }).other;
    // @ts-expect-error port "input" takes numbers
    void Split({ input: of('a') });
  });

  it('a one-port GenericPE keeps its item types in pipe()', () => {
    expectTypeOf(of('a').pipe(Count)).toEqualTypeOf<Observable<readonly [string, number]>>();
    // @ts-expect-error Count reads strings
    void of(1).pipe(Count);
  });

  it('piping a PE<string, ...> after a stream of numbers does not compile', () => {
    // @ts-expect-error Upper reads strings, Numbers gives numbers
    void Numbers().pipe(Upper);
    // @ts-expect-error Upper reads strings, Double gives numbers
    void Numbers().pipe(Double, Upper);
    // @ts-expect-error the same after a grouping boundary
    void Numbers().pipe(allToOne(), Upper);
    workflow('mismatch', () =>
      // @ts-expect-error inside a workflow too
      Numbers().pipe(Double, Upper),
    );
  });
});

describe('operators', () => {
  it('boundaries keep the item type', () => {
    expectTypeOf(Numbers().pipe(allToOne(), Double)).toEqualTypeOf<Observable<number>>();
    expectTypeOf(
      of('a', 'b').pipe(
        groupByKey((w: string) => w.length),
        Upper,
      ),
    ).toEqualTypeOf<Observable<string>>();
    expectTypeOf(merge(Numbers(), of(1))).toEqualTypeOf<Observable<number>>();
  });

  it("partition's streams are keyed by the predicates' port names", () => {
    const ports = partition(Numbers(), { small: (x) => x < 10, large: () => true });
    expectTypeOf(ports).toEqualTypeOf<{ small: Observable<number>; large: Observable<number> }>();
    // @ts-expect-error there is no port "medium"
    void ports.medium;
    const pair = partition(Numbers(), (x) => x % 2 === 0);
    expectTypeOf(pair).toEqualTypeOf<[Observable<number>, Observable<number>]>();
    // @ts-expect-error predicates over numbers cannot take strings
    void partition(of('a'), { big: (x: number) => x > 0 });
  });
});

describe('workflows and results', () => {
  const named = workflow('named', () => ({
    doubled: Numbers().pipe(Double),
    shown: Numbers().pipe(Show),
  }));
  const single = workflow('single', () => Numbers().pipe(Show));
  const withInput = workflow('withInput', (input: Observable<number>) => input.pipe(Double));

  it('a record returned by build names the outputs and their value types', () => {
    expectTypeOf(named).toEqualTypeOf<Workflow<never, { doubled: number; shown: string }>>();
    expectTypeOf(collect(named)).resolves.toEqualTypeOf<{ doubled: number[]; shown: string[] }>();
    expectTypeOf(collect(single)).resolves.toEqualTypeOf<Record<string, string[]>>();
  });

  it('results are tagged by output, and the tag narrows the value', () => {
    expectTypeOf(run(named)).toEqualTypeOf<
      Observable<Result<{ doubled: number; shown: string }>>
    >();
    run(named).subscribe((result) => {
      if (result.output === 'doubled') expectTypeOf(result.value).toEqualTypeOf<number>();
      else expectTypeOf(result.value).toEqualTypeOf<string>();
    });
  });

  it("a workflow's input stream is typed", () => {
    expectTypeOf(withInput).toEqualTypeOf<Workflow<number, Record<string, number>>>();
    void collect(withInput, undefined, { input: [1, 2, 3] });
    // @ts-expect-error withInput reads numbers
    void collect(withInput, undefined, { input: ['a'] });
  });
});
