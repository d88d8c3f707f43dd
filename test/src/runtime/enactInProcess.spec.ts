/**
 * A connection fused by the sequential engine (one sending instance, one receiving instance)
 * hands the receiver the sender's output directly. A receiver that subscribes its input more
 * than once (a multi-port PE whose ports each read the input, `partition` included) must
 * still run the upstream chain once: a producer once, a stateful upstream PE once over its
 * state — the same as an unfused connection, whose input feed is hot.
 */
import { describe, expect, it } from 'vitest';
import { map, mergeMap, take, type Observable } from 'rxjs';
import { collect, pe, producer, workflow, type Streams } from '../../../src/index.js';
import { partition } from '../../../operators/index.js';

describe('enactInProcess: fused connections into PEs that read their input twice', () => {
  it('runs a producer once for a partition it feeds', async () => {
    let calls = 0;
    const Numbers = producer('Numbers', (i) => {
      calls += 1;
      return i;
    });
    const wf = workflow('split', () => {
      const [even, odd] = partition(Numbers(), (x: number) => x % 2 === 0);
      return { even, odd };
    });
    expect(await collect(wf, undefined, { iterations: 4 })).toEqual({ even: [0, 2], odd: [1, 3] });
    expect(calls).toBe(4);
  });

  it('gives a stateful upstream PE one run over its state', async () => {
    const Numbers = producer('Numbers', (i) => i);
    const Running = pe('Running', (in$: Observable<number>) => {
      let total = 0;
      return in$.pipe(map((x) => (total += x)));
    });
    const Both = pe(
      'Both',
      { inputs: ['input'], outputs: ['plus', 'minus'] },
      ({ input }: Streams<{ input: number }>) => ({
        plus: input,
        minus: input.pipe(map((x) => -x)),
      }),
    );
    const wf = workflow('twice', () => Both({ input: Numbers().pipe(Running) }));
    expect(await collect(wf, undefined, { iterations: 4 })).toEqual({
      plus: [0, 1, 3, 6],
      minus: [-0, -1, -3, -6],
    });
  });

  it('lets a reader that subscribes after the start join from the next item, as a feed does', async () => {
    const Numbers = producer('Numbers', (i) => i);
    const Later = pe('Later', (in$: Observable<number>) =>
      in$.pipe(
        take(1),
        mergeMap(() => in$),
      ),
    );
    const fused = workflow('later', () => Numbers().pipe(Later));
    const teed = workflow('laterTeed', () => {
      const numbers = Numbers();
      return { Later: numbers.pipe(Later), Numbers: numbers };
    });
    expect(await collect(fused, undefined, { iterations: 4 })).toEqual({ Later: [1, 2, 3] });
    expect(await collect(teed, undefined, { iterations: 4 })).toEqual({
      Later: [1, 2, 3],
      Numbers: [0, 1, 2, 3],
    });
  });
});
