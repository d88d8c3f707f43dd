/**
 * The smallest complete dispel4ts program: squares of 0..N-1 summed per parity, with the
 * sums kept by two group-by-key instances. Run it with `npx tsx examples/quickstart.ts`.
 */
import { map, reduce, type Observable } from 'rxjs';
import { collect, pe, producer, workflow } from '../src/index.js';
import { groupByKey } from '../operators/index.js';

type Tagged = readonly [parity: string, value: number];

const Numbers = producer('Numbers', (i) => i);
const Square = pe('Square', map((x: number) => x * x), { instances: 2 });
const Tag = pe('Tag', map((x: number): Tagged => [x % 2 === 0 ? 'even' : 'odd', x]));
// The function runs once per instance, so each instance has its own `sums`.
const SumByParity = pe(
  'SumByParity',
  (tagged$: Observable<Tagged>) => {
    const sums = new Map<string, number>();
    return tagged$.pipe(
      reduce((acc, [parity, x]) => acc.set(parity, (acc.get(parity) ?? 0) + x), sums),
      map((acc) => Object.fromEntries(acc)),
    );
  },
  { instances: 2 },
);

export const quickstart = workflow('quickstart', () =>
  Numbers().pipe(Square, Tag, groupByKey(0), SumByParity),
);

if (import.meta.url === `file://${process.argv[1]}`) {
  const results = await collect(quickstart, undefined, { iterations: 10 });
  console.log(JSON.stringify(results));
}
