import { describe, expect, it } from 'vitest';
import { collect, producer, workflow } from '../../src/index.js';
import { shuffle } from '../../operators/index.js';
import { describePassThrough } from '../helpers/passThroughMarbles.js';
import { byInstance, tagInstance } from '../helpers/tagInstance.js';

describe('shuffle', () => {
  describePassThrough(() => shuffle());

  describe('in a workflow: a round-robin boundary, the default', () => {
    const Numbers = producer('Numbers', (i) => i);

    it('marks the connection shuffle, as an unmarked connection is', () => {
      const marked = workflow('marked', () =>
        Numbers().pipe(shuffle(), tagInstance<number>('Sink', { instances: 3 })),
      );
      const unmarked = workflow('unmarked', () =>
        Numbers().pipe(tagInstance<number>('Sink', { instances: 3 })),
      );
      expect(marked.graph.connections[0]!.grouping).toEqual({ kind: 'shuffle' });
      expect(unmarked.graph.connections[0]!.grouping).toEqual({ kind: 'shuffle' });
    });

    it('spreads items round robin over the instances', async () => {
      const wf = workflow('rr', () =>
        Numbers().pipe(shuffle(), tagInstance<number>('Sink', { instances: 3 })),
      );
      const { Sink } = await collect(wf, undefined, { iterations: 9 });
      expect(byInstance(Sink, 3)).toEqual([
        [0, 3, 6],
        [1, 4, 7],
        [2, 5, 8],
      ]);
    });
  });
});
