import { describe, expect, it } from 'vitest';
import { map } from 'rxjs';
import { collect, pe, producer, workflow } from '../../src/index.js';
import { broadcast } from '../../operators/index.js';
import { describePassThrough } from '../helpers/passThroughMarbles.js';
import { byInstance, tagInstance } from '../helpers/tagInstance.js';

describe('broadcast', () => {
  describePassThrough(() => broadcast());

  describe('in a workflow: a one-to-all boundary', () => {
    const Numbers = producer('Numbers', (i) => i);

    it('marks the connection broadcast', () => {
      const wf = workflow('all', () =>
        Numbers().pipe(broadcast(), tagInstance<number>('Sink', { instances: 3 })),
      );
      expect(wf.graph.connections[0]!.grouping).toEqual({ kind: 'broadcast' });
    });

    it('sends every item to every instance, in order', async () => {
      const wf = workflow('all', () =>
        Numbers().pipe(broadcast(), tagInstance<number>('Sink', { instances: 3 })),
      );
      const { Sink } = await collect(wf, undefined, { iterations: 5 });
      expect(byInstance(Sink, 3)).toEqual([0, 1, 2].map(() => [0, 1, 2, 3, 4]));
    });

    it('gives each instance its own copy, so one mutating it never affects another', async () => {
      const Lists = producer('Lists', (i) => [i]);
      const Append = pe(
        'Append',
        map((list: number[]) => {
          list.push(list.length);
          return list;
        }),
        { instances: 3 },
      );
      const wf = workflow('copies', () => Lists().pipe(broadcast(), Append));
      const { Append: out } = await collect(wf, undefined, { iterations: 2 });
      expect(out).toEqual([
        [0, 1],
        [0, 1],
        [0, 1],
        [1, 1],
        [1, 1],
        [1, 1],
      ]);
    });
  });
});
