import { describe, expect, it } from 'vitest';
import { collect, producer, workflow } from '../../src/index.js';
import { allToOne } from '../../operators/index.js';
import { describePassThrough } from '../helpers/passThroughMarbles.js';
import { byInstance, tagInstance } from '../helpers/tagInstance.js';

describe('allToOne', () => {
  describePassThrough(() => allToOne());

  describe('in a workflow: an all-to-one boundary', () => {
    const Numbers = producer('Numbers', (i) => i, { instances: 2 });
    const wf = workflow('global', () =>
      Numbers().pipe(allToOne(), tagInstance<number>('Sink', { instances: 4 })),
    );

    it('marks the connection all-to-one', () => {
      expect(wf.graph.connections[0]!.grouping).toEqual({ kind: 'allToOne' });
    });

    it('sends every item, from every sending instance, to instance 0', async () => {
      const { Sink } = await collect(wf, undefined, { iterations: 20 });
      const seen = byInstance(Sink, 4);
      expect(seen[0]!.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(seen.slice(1)).toEqual([[], [], []]);
    });
  });
});
