/**
 * A whole workflow under RxJS's TestScheduler, through `dispel4ts/testing` as users write it:
 * virtual time flows through every PE of the sequential backend.
 */
import { describe, expect, it } from 'vitest';
import { bufferCount, delay, map, type Observable } from 'rxjs';
import { pe, PEError, workflow } from '../../src/index.js';
import { resultsOf, testScheduler, valuesOf } from '../../src/testing/index.js';

const Delay = pe('Delay', delay<number>(2));
const Pairs = pe('Pairs', bufferCount<number>(2));

/** `input -> Delay (2 frames) -> Pairs (bufferCount(2))`. */
const pairs = workflow('pairs', (input: Observable<number>) => input.pipe(Delay, Pairs));

const values = { a: 1, b: 2, c: 3, d: 4, e: 5 };
// valuesOf cannot infer the workflow's output types inside pipe(): give them.
const pairsOf = valuesOf<Record<string, number[]>, 'Pairs'>('Pairs');
const scheduler = () => testScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('a whole workflow in virtual time (resultsOf)', () => {
  it('fails with a PEError naming the PE, at the frame a PE throws', () =>
    scheduler().run(({ cold, expectObservable }) => {
      const Check = pe(
        'Check',
        map((x: number) => {
          if (x === 3) throw new RangeError('no threes');
          return x;
        }),
      );
      const checked = workflow('checked', (input: Observable<number>) => input.pipe(Delay, Check));
      const failure = new PEError(
        { workflow: 'checked', pe: 'Check', instance: 0 },
        new RangeError('no threes'),
        { value: 3 },
      );
      expectObservable(resultsOf(checked, { input: cold('a-b-c|', values) })).toBe(
        '--x-y-#',
        { x: { output: 'Check', value: 1 }, y: { output: 'Check', value: 2 } },
        failure,
      );
    }));

  it('runs a cold input through delay and bufferCount inside PEs', () =>
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const input = cold('a-b-c-d|', values);
      expectObservable(resultsOf(pairs, { input })).toBe('----x---(y|)', {
        x: { output: 'Pairs', value: [1, 2] },
        y: { output: 'Pairs', value: [3, 4] },
      });
      expectSubscriptions(input.subscriptions).toBe('^------!');
    }));

  it('runs a hot input from the moment the run is subscribed', () =>
    scheduler().run(({ hot, expectObservable }) => {
      const input = hot('a-^b-c-d-e|', values);
      expectObservable(resultsOf(pairs, { input }).pipe(pairsOf)).toBe('-----x---(y|)', {
        x: [2, 3],
        y: [4, 5],
      });
    }));

  it('emits a partial buffer at the end of stream (bufferCount flushes on complete)', () =>
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a-b-c|', values);
      expectObservable(resultsOf(pairs, { input }).pipe(pairsOf)).toBe('----x-(y|)', {
        x: [1, 2],
        y: [3],
      });
    }));

  it('keeps state per instance: two Pairs instances each buffer their own items', () =>
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a-b-c-d|', values);
      const results = resultsOf(pairs, { input, instances: { Pairs: 2 } });
      // Round robin: a and c to instance 0, b and d to instance 1.
      expectObservable(results.pipe(pairsOf)).toBe('------x-(y|)', {
        x: [1, 3],
        y: [2, 4],
      });
    }));

  it('ends the run at the frame the input errors, with a PEError naming the input node', () =>
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a-#', values, new Error('input failed'));
      const failure = new PEError(
        { workflow: 'pairs', pe: 'input', instance: 0 },
        new Error('input failed'),
      );
      expectObservable(resultsOf(pairs, { input })).toBe('--#', undefined, failure);
    }));
});
