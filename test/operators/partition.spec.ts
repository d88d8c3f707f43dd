import { describe, expect, it } from 'vitest';
import { collect, producer, validate, workflow } from '../../src/index.js';
import { partition } from '../../operators/index.js';
import { marbles } from '../helpers/marbles.js';

const values = { a: 1, b: 2, c: 3, d: 4 };
const isOdd = (x: number): boolean => x % 2 === 1;

describe('partition', () => {
  describe('in-process: like RxJS’s partition(source, predicate)', () => {
    it('never', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<number>('-');
        const [odd, even] = partition(source, isOdd);
        expectObservable(odd).toBe('-');
        expectObservable(even).toBe('-');
        expectSubscriptions(source.subscriptions).toBe(['^', '^']);
      }));

    it('empty', () =>
      marbles().run(({ cold, expectObservable }) => {
        const [odd, even] = partition(cold<number>('|'), isOdd);
        expectObservable(odd).toBe('|');
        expectObservable(even).toBe('|');
      }));

    it('one', () =>
      marbles().run(({ cold, expectObservable }) => {
        const [odd, even] = partition(cold('a|', values), isOdd);
        expectObservable(odd).toBe('a|', values);
        expectObservable(even).toBe('-|');
      }));

    it('many: matching items on the first stream, the rest on the second', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c-d|', values);
        const [odd, even] = partition(source, isOdd);
        expectObservable(odd).toBe('a---c--|', values);
        expectObservable(even).toBe('--b---d|', values);
        // As with RxJS's partition, each stream subscribes to a plain cold source.
        expectSubscriptions(source.subscriptions).toBe(['^------!', '^------!']);
      }));

    it('many, into named ports: the first predicate that holds wins, items matching none are dropped', () =>
      marbles().run(({ cold, expectObservable }) => {
        const source = cold('a-b-c-d|', values);
        const { small, middle } = partition(source, {
          small: (x: number) => x < 2,
          middle: (x: number) => x < 4,
        });
        expectObservable(small).toBe('a------|', values);
        expectObservable(middle).toBe('--b-c--|', values);
      }));

    it('error', () =>
      marbles().run(({ cold, expectObservable }) => {
        const [odd, even] = partition(cold('a-#', values, new Error('upstream')), isOdd);
        expectObservable(odd).toBe('a-#', values, new Error('upstream'));
        expectObservable(even).toBe('--#', values, new Error('upstream'));
      }));

    it('early unsubscribe', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c|', values);
        const [odd] = partition(source, isOdd);
        expectObservable(odd, '^--!').toBe('a--', values);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      }));

    it('throwing predicate: errors the stream', () =>
      marbles().run(({ cold, expectObservable }) => {
        const failure = new RangeError('cannot classify 2');
        const [odd] = partition(cold('a-b-c|', values), (x: number) => {
          if (x === 2) throw failure;
          return isOdd(x);
        });
        expectObservable(odd).toBe('a-#', values, failure);
      }));
  });

  describe('in a workflow: a PE whose output ports are the streams', () => {
    const Numbers = producer('Numbers', (i) => i, { instances: 2 });

    it('adds a PE named Partition (or options.name) with one output port per stream', () => {
      const pair = workflow('pair', () => {
        const [t, f] = partition(Numbers(), isOdd);
        return { odd: t, even: f };
      });
      const named = workflow('named', () => {
        const { low, high } = partition(
          Numbers(),
          { low: (x) => x < 5, high: () => true },
          { name: 'Split' },
        );
        return { low, high };
      });
      expect(pair.graph.nodes.find((n) => n.name === 'Partition')).toMatchObject({
        inputs: ['input'],
        outputs: ['true', 'false'],
      });
      expect(named.graph.nodes.find((n) => n.name === 'Split')).toMatchObject({
        outputs: ['low', 'high'],
      });
      expect(validate(named.graph)).toEqual([]);
    });

    it('routes each item to the first port whose predicate holds', async () => {
      const wf = workflow('routes', () => {
        const { low, high } = partition(
          Numbers(),
          { low: (x: number) => x < 5, high: () => true },
          { name: 'Split', instances: 2 },
        );
        return { low, high };
      });
      const { low, high } = await collect(wf, undefined, { iterations: 10 });
      expect([...low].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
      expect([...high].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9]);
    });

    it('errors the run with a PEError naming the partition PE when a predicate throws', async () => {
      const wf = workflow('throws', () => {
        const [t, f] = partition(Numbers(), (x: number) => {
          if (x === 3) throw new RangeError('three');
          return isOdd(x);
        });
        return { t, f };
      });
      await expect(collect(wf, undefined, { iterations: 10 })).rejects.toMatchObject({
        name: 'PEError',
        pe: 'Partition',
        item: 3,
      });
    });
  });
});
