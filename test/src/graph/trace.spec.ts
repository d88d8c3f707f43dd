import { filter, map, of, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { composite, consumer, pe, producer, workflow } from '../../../src/index.js';
import { allToOne, broadcast, groupByKey, merge, partition } from '../../../operators/index.js';

const Numbers = producer('Numbers', (i) => i);
const Double = pe('Double', map((x: number) => 2 * x), { instances: 2 });
const Sum = pe('Sum', map((x: number) => x));

describe('workflow() tracing', () => {
  it('traces a pipeline into plain, JSON-safe data without running anything', () => {
    let called = 0;
    const Count = pe('Count', (in$: Observable<number>) => {
      called++;
      return in$;
    });
    const wf = workflow('wf', () => Numbers().pipe(Double, allToOne(), Count));
    expect(called).toBe(0);
    expect(JSON.parse(JSON.stringify(wf.graph))).toEqual(wf.graph);
    expect(wf.graph.nodes.map((n) => [n.name, n.kind, n.instances])).toEqual([
      ['Numbers', 'producer', 1],
      ['Double', 'pe', 2],
      ['Count', 'pe', 1],
    ]);
    expect(wf.graph.connections.map((c) => [c.from.pe, c.to.pe, c.grouping.kind])).toEqual([
      ['Numbers', 'Double', 'shuffle'],
      ['Double', 'Count', 'allToOne'],
    ]);
    expect(wf.graph.outputs).toEqual([{ name: 'Count', from: { pe: 'Count', port: 'output' }, fused: 0 }]);
  });

  it('fuses plain operators into the PE before them, per connection', () => {
    const wf = workflow('fused', () => {
      const doubled = Numbers().pipe(Double);
      return {
        a: doubled.pipe(map((x) => x + 1), filter((x) => x > 2), Sum),
        b: doubled.pipe(map((x) => -x)),
      };
    });
    const [toSum] = wf.graph.connections.filter((c) => c.to.pe === 'Sum');
    expect(toSum!.fused).toBe(2);
    expect(wf.graph.outputs.find((o) => o.name === 'b')).toMatchObject({ from: { pe: 'Double' }, fused: 1 });
  });

  it('numbers a PE used more than once, and records group-by keys as data when they are', () => {
    const Pair = pe('Pair', map((x: number) => [x % 3, x] as const));
    const wf = workflow('twice', () =>
      Numbers().pipe(Sum, Sum, Pair, groupByKey(0), pe('Last', map(([, x]: readonly [number, number]) => x))),
    );
    expect(wf.graph.nodes.map((n) => n.name)).toEqual(['Numbers', 'Sum', 'Sum_2', 'Pair', 'Last']);
    expect(wf.graph.connections[3]!.grouping).toEqual({ kind: 'groupByKey', key: [0] });
    const byFn = workflow('byFn', () => Numbers().pipe(groupByKey((x: number) => x % 2), Sum));
    expect(byFn.graph.connections[0]!.grouping).toEqual({ kind: 'groupByKey', key: 'function' });
  });

  it('records tees, merges, multi-port PEs, partitions and consumers', () => {
    const Add = pe(
      'Add',
      { inputs: ['a', 'b'], outputs: ['sum'] },
      ({ a, b }: { a: Observable<number>; b: Observable<number> }) => ({ sum: merge(a, b) }),
    );
    const Print = consumer('Print', (_x: number) => undefined);
    const wf = workflow('topology', () => {
      const numbers = Numbers();
      const [evens, odds] = partition(numbers, (x) => x % 2 === 0, { name: 'Parity' });
      numbers.pipe(broadcast(), Print);
      const { sum } = Add({ a: evens.pipe(Double), b: odds });
      return { total: merge(sum, numbers.pipe(Sum)) };
    });
    const edges = wf.graph.connections.map((c) => `${c.from.pe}.${c.from.port}->${c.to.pe}.${c.to.port}:${c.grouping.kind}`);
    expect(edges).toEqual([
      'Numbers.output->Parity.input:shuffle',
      'Numbers.output->Print.input:broadcast',
      'Parity.true->Double.input:shuffle',
      'Double.output->Add.a:shuffle',
      'Parity.false->Add.b:shuffle',
      'Numbers.output->Sum.input:shuffle',
    ]);
    expect(wf.graph.nodes.find((n) => n.name === 'Print')!.outputs).toEqual([]);
    expect(wf.graph.outputs.map((o) => `${o.name}<-${o.from.pe}.${o.from.port}`)).toEqual([
      'total<-Add.sum',
      'total<-Sum.output',
    ]);
  });

  it('returns outputs nothing reads, as dispel4py does', () => {
    const wf = workflow('dangling', () => {
      Numbers().pipe(Double);
    });
    expect(wf.graph.outputs.map((o) => o.name)).toEqual(['Double']);
  });

  it('inlines composites with hierarchical names', () => {
    const Chain = composite('chain', (in$: Observable<number>) => in$.pipe(Double, Sum));
    const wf = workflow('outer', () => Numbers().pipe(Chain, Sum));
    expect(wf.graph.nodes.map((n) => [n.name, n.composite ?? []])).toEqual([
      ['Numbers', []],
      ['chain/Double', ['chain']],
      ['chain/Sum', ['chain']],
      ['Sum', []],
    ]);
  });

  it('refuses plain Observables as inputs of PEs inside a workflow, saying what to do', () => {
    expect(() => workflow('plain', () => of(1, 2).pipe(Double))).toThrow(
      /PE "Double" was given a plain Observable inside workflow "plain"/,
    );
  });

  it('refuses to subscribe to a stream while the workflow is being built', () => {
    expect(() => workflow('eager', () => void Numbers().subscribe())).toThrow(/was subscribed while the workflow was being built/);
  });
});
