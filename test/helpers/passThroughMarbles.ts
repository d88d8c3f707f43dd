import { describe, it } from 'vitest';
import type { MonoTypeOperatorFunction } from 'rxjs';
import { marbles } from './marbles.js';

const values = { a: 1, b: 2, c: 3 };

/**
 * RxJS's list of marble cases for a boundary operator whose in-process meaning is "every item
 * passes unchanged": never, empty, one, many, error, early unsubscribe.
 */
export function describePassThrough(make: () => MonoTypeOperatorFunction<number>): void {
  describe('in-process: every item passes through unchanged', () => {
    it('never', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<number>('-');
        expectObservable(source.pipe(make())).toBe('-');
        expectSubscriptions(source.subscriptions).toBe('^');
      }));

    it('empty', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<number>('|');
        expectObservable(source.pipe(make())).toBe('|');
        expectSubscriptions(source.subscriptions).toBe('(^!)');
      }));

    it('one', () =>
      marbles().run(({ cold, expectObservable }) => {
        expectObservable(cold('a|', values).pipe(make())).toBe('a|', values);
      }));

    it('many, from a hot source', () =>
      marbles().run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot('a-^b-c-a|', values);
        expectObservable(source.pipe(make())).toBe('-b-c-a|', values);
        expectSubscriptions(source.subscriptions).toBe('^-----!');
      }));

    it('error', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-#', values, new Error('upstream'));
        expectObservable(source.pipe(make())).toBe('a-#', values, new Error('upstream'));
        expectSubscriptions(source.subscriptions).toBe('^-!');
      }));

    it('early unsubscribe', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c|', values);
        expectObservable(source.pipe(make()), '^--!').toBe('a-b', values);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      }));
  });
}
