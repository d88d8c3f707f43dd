import { from, interval, map, take, tap, toArray, type Observable } from 'rxjs';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { eachValueFrom } from 'rxjs-for-await';
import { describe, expect, it } from 'vitest';
import {
  asOperator,
  collect,
  pe,
  PEError,
  producer,
  run,
  UncloneableValueError,
  workflow,
} from '../../../src/index.js';
import { sequential } from '../../../backends/sequential/index.js';
import { groupByKey } from '../../../operators/index.js';

const Numbers = producer('Numbers', (i) => i);

describe('run() and collect() on the sequential backend', () => {
  it('names workflow, PE, instance and item when a PE throws', async () => {
    const Fragile = pe(
      'Fragile',
      map((x: number) => {
        if (x === 3) throw new Error('three');
        return x;
      }),
      { instances: 2 },
    );
    const wf = workflow('fragile', () => Numbers().pipe(Fragile));
    const error = await collect(wf, sequential(), { iterations: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PEError);
    expect(error).toMatchObject({ workflow: 'fragile', pe: 'Fragile', instance: 1, item: 3 });
    expect((error as PEError).cause).toEqual(new Error('three'));
  });

  it('refuses values that cannot cross a process boundary, even in one thread', async () => {
    const Leaky = pe('Leaky', map((x: number) => ({ x, callback: () => x })));
    const wf = workflow('leaky', () => Numbers().pipe(Leaky, pe('Next', map((v: object) => v))));
    const error = await collect(wf, sequential(), { iterations: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UncloneableValueError);
    expect(error).toMatchObject({ pe: 'Leaky', port: 'output', path: 'value.callback' });
  });

  it('stops a synchronous producer at once when the caller unsubscribes', async () => {
    let produced = 0;
    const Endless = producer('Endless', (i) => (produced++, i));
    const wf = workflow('endless', () => Endless().pipe(pe('Id', map((x: number) => x))));
    const first = await firstValueFrom(run(wf, sequential(), { iterations: 1e12 }).pipe(take(3), toArray()));
    expect(first.map((r) => r.value)).toEqual([0, 1, 2]);
    expect(produced).toBeLessThan(10);
  });

  it('gives each reader of a tee its own copy, so a mutating PE never affects a sibling', async () => {
    const Make = producer('Make', (i) => ({ n: i }));
    const Mutate = pe('Mutate', map((o: { n: number }) => ((o.n = -1), o.n)));
    const Read = pe('Read', map((o: { n: number }) => o.n));
    const wf = workflow('tee', () => {
      const items = Make();
      return { mutated: items.pipe(Mutate), read: items.pipe(Read) };
    });
    expect(await collect(wf, sequential(), { iterations: 3 })).toEqual({
      mutated: [-1, -1, -1],
      read: [0, 1, 2],
    });
  });

  it('feeds producers the run’s input data (dispel4py’s -d) and overrides instances', async () => {
    const seen: number[] = [];
    const Where = pe('Where', (in$: Observable<string>) => {
      return in$.pipe(tap(() => seen.push(1)), map((w) => w.toUpperCase()));
    });
    const wf = workflow('data', () => producer('Words', (i) => `w${i}`)().pipe(groupByKey((w: string) => w), Where));
    const result = await collect(wf, sequential(), { data: { Words: ['a', 'b', 'a'] }, instances: { Where: 3 } });
    expect(result.Where.sort()).toEqual(['A', 'A', 'B']);
  });

  it('rejects bad options with the option’s path', async () => {
    const wf = workflow('opts', () => Numbers().pipe(pe('P', map((x: number) => x))));
    await expect(collect(wf, sequential(), { iterations: -1 })).rejects.toThrow(/options.iterations must be a non-negative integer/);
    await expect(collect(wf, sequential(), { instances: { Nope: 2 } })).rejects.toThrow(/names PE "Nope"/);
    await expect(collect(wf, sequential(), { data: { Nope: [] } })).rejects.toThrow(/names PE "Nope"/);
  });

  it('embeds in an RxJS app: a workflow as an operator over its input stream', async () => {
    const Square = pe('Square', map((x: number) => x * x), { instances: 2 });
    const squares = workflow('squares', (input: Observable<number>) => input.pipe(Square));
    const values = await lastValueFrom(
      interval(1).pipe(take(4), asOperator(squares, sequential()), map((r) => r.value), toArray()),
    );
    expect(values).toEqual([0, 1, 4, 9]);
  });

  it('reads results with for await (rxjs-for-await)', async () => {
    const wf = workflow('iterate', (input: Observable<number>) => input.pipe(pe('Inc', map((x: number) => x + 1))));
    const seen: unknown[] = [];
    for await (const result of eachValueFrom(run(wf, sequential(), { input: from([1, 2, 3]) }))) {
      seen.push(result);
    }
    expect(seen).toEqual([1, 2, 3].map((x) => ({ output: 'Inc', value: x + 1 })));
  });
});
