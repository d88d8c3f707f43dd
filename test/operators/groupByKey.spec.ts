import { describe, expect, it } from 'vitest';
import { collect, hashKey, producer, workflow } from '../../src/index.js';
import { groupByKey } from '../../operators/index.js';
import { marbles } from '../helpers/marbles.js';
import { byInstance, tagInstance } from '../helpers/tagInstance.js';

const values = { a: 'apple', b: 'banana', c: 'cherry' };

describe('groupByKey', () => {
  describe('in-process: every item passes through unchanged', () => {
    it('never', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<string>('-');
        expectObservable(source.pipe(groupByKey((w) => w))).toBe('-');
        expectSubscriptions(source.subscriptions).toBe('^');
      }));

    it('empty', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<string>('|');
        expectObservable(source.pipe(groupByKey((w) => w))).toBe('|');
        expectSubscriptions(source.subscriptions).toBe('(^!)');
      }));

    it('one', () =>
      marbles().run(({ cold, expectObservable }) => {
        const source = cold('a|', values);
        expectObservable(source.pipe(groupByKey((w) => w))).toBe('a|', values);
      }));

    it('many', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c-a|', values);
        expectObservable(source.pipe(groupByKey((w) => w[0]))).toBe('a-b-c-a|', values);
        expectSubscriptions(source.subscriptions).toBe('^------!');
      }));

    it('many, keyed by a field index (dispel4py’s [0])', () =>
      marbles().run(({ cold, expectObservable }) => {
        const pairs = { x: ['a', 1] as const, y: ['b', 2] as const };
        expectObservable(cold('x-y|', pairs).pipe(groupByKey(0))).toBe('x-y|', pairs);
      }));

    it('error', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-#', values, new Error('upstream'));
        expectObservable(source.pipe(groupByKey((w) => w))).toBe(
          'a-#',
          values,
          new Error('upstream'),
        );
        expectSubscriptions(source.subscriptions).toBe('^-!');
      }));

    it('early unsubscribe', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c|', values);
        expectObservable(source.pipe(groupByKey((w) => w)), '^--!').toBe('a-b', values);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      }));

    it('throwing key function: errors the stream and unsubscribes the source', () =>
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('a-b-c|', values);
        const failure = new TypeError('no key for banana');
        const keyed = source.pipe(
          groupByKey((w: string) => {
            if (w === 'banana') throw failure;
            return w;
          }),
        );
        expectObservable(keyed).toBe('a-#', values, failure);
        expectSubscriptions(source.subscriptions).toBe('^-!');
      }));
  });

  describe('in a workflow: a group-by boundary', () => {
    const Words = producer(
      'Words',
      (i) => ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu'][i % 7]!,
    );

    it('marks the connection with its key: field indexes as data, a function as "function"', () => {
      const byField = workflow('byField', () =>
        Words().pipe(groupByKey<string>(0), tagInstance<string>('Count', { instances: 2 })),
      );
      const byFunction = workflow('byFunction', () =>
        Words().pipe(
          groupByKey((w: string) => w),
          tagInstance<string>('Count', { instances: 2 }),
        ),
      );
      expect(byField.graph.connections[0]!.grouping).toEqual({ kind: 'groupByKey', key: [0] });
      expect(byFunction.graph.connections[0]!.grouping).toEqual({
        kind: 'groupByKey',
        key: 'function',
      });
    });

    it('sends every item with the same key to the same instance: hashKey(key) % instances', async () => {
      const wf = workflow('grouped', () =>
        Words().pipe(
          groupByKey((w: string) => w),
          tagInstance<string>('Count', { instances: 3 }),
        ),
      );
      const { Count } = await collect(wf, undefined, { iterations: 70 });
      expect(Count).toHaveLength(70);
      const seen = byInstance(Count, 3);
      seen.forEach((words, instance) => {
        for (const w of words) expect(hashKey(w) % 3).toBe(instance);
      });
      const owners = new Map<string, Set<number>>();
      for (const [instance, w] of Count) owners.set(w, (owners.get(w) ?? new Set()).add(instance));
      for (const set of owners.values()) expect(set.size).toBe(1);
    });
  });
});
