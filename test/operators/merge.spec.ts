import { describe, expect, it } from 'vitest';
import { map } from 'rxjs';
import { collect, pe, producer, workflow } from '../../src/index.js';
import { merge } from '../../operators/index.js';
import { marbles } from '../helpers/marbles.js';

const values = { a: 1, b: 2, c: 3, x: 10, y: 20 };

describe('merge', () => {
  describe('in-process: RxJS’s merge', () => {
    it('never', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const a = cold<number>('-');
        const b = cold<number>('-');
        expectObservable(merge(a, b)).toBe('-');
        expectSubscriptions(a.subscriptions).toBe('^');
        expectSubscriptions(b.subscriptions).toBe('^');
      }));

    it('empty: completes when every source has', () =>
      marbles().run(({ cold, expectObservable }) => {
        expectObservable(merge(cold<number>('|'), cold<number>('--|'))).toBe('--|');
      }));

    it('one', () =>
      marbles().run(({ cold, expectObservable }) => {
        expectObservable(merge(cold('a|', values))).toBe('a|', values);
      }));

    it('many, interleaved in time, from hot and cold sources', () =>
      marbles().run(({ cold, hot, expectObservable }) => {
        const a = hot('-^a--b--c|', values);
        const b = cold('x--y|', values);
        expectObservable(merge(a, b)).toBe('xa-yb--c|', values);
      }));

    it('error: from either source, unsubscribing the other', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const a = cold('a---b|', values);
        const b = cold('--#', values, new Error('b failed'));
        expectObservable(merge(a, b)).toBe('a-#', values, new Error('b failed'));
        expectSubscriptions(a.subscriptions).toBe('^-!');
        expectSubscriptions(b.subscriptions).toBe('^-!');
      }));

    it('early unsubscribe', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const a = cold('a---b|', values);
        const b = cold('-x---y|', values);
        expectObservable(merge(a, b), '^--!').toBe('ax-', values);
        expectSubscriptions(a.subscriptions).toBe('^--!');
        expectSubscriptions(b.subscriptions).toBe('^--!');
      }));
  });

  describe('in a workflow: several outputs into one input', () => {
    const Evens = producer('Evens', (i) => 2 * i);
    const Odds = producer('Odds', (i) => 2 * i + 1);
    const Sum = pe(
      'Sum',
      map((x: number) => x),
    );

    it('connects every merged output to the one input', () => {
      const wf = workflow('merged', () => merge(Evens(), Odds()).pipe(Sum));
      expect(wf.graph.connections.map((c) => [c.from.pe, c.to.pe])).toEqual([
        ['Evens', 'Sum'],
        ['Odds', 'Sum'],
      ]);
    });

    it('delivers every item of every merged output, and ends when all of them have', async () => {
      const wf = workflow('merged', () => merge(Evens(), Odds()).pipe(Sum));
      const { Sum: out } = await collect(wf, undefined, { iterations: 5 });
      expect([...out].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('refuses operators before the merge, and plain Observables mixed with workflow streams', () => {
      expect(() =>
        workflow('bad', () => merge(Evens().pipe(map((x: number) => x)), Odds()).pipe(Sum)),
      ).toThrow(TypeError);
      expect(() =>
        workflow('mixed', () =>
          merge(Evens(), marbles().createColdObservable<number>('|')).pipe(Sum),
        ),
      ).toThrow(TypeError);
    });
  });
});
