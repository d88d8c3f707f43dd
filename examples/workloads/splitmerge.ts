/**
 * W4 `splitmerge` (shared/bench/WORKLOADS.md): named ports, tee, merge and fan-in.
 *
 * `Numbers` emits `0 .. N-1` (N = iterations). `Split` (made by `partition`) has two outputs:
 * even numbers on `even`, odd ones on `odd`. `Double` (x -> 2x) reads `even`, `Triple`
 * (x -> 3x) reads `odd`, two instances each. `Numbers` is also tee'd to `CountAll`, which
 * counts items. `Merge` has two inputs, `a` (Double's output) and `b` (Triple's), adds all
 * it gets and emits the total at the end; `CountAll` emits its count at the end.
 */
import { count, map, merge, reduce } from 'rxjs';
import { pe, producer, workflow, type Streams } from '../../src/index.js';
import { partition } from '../../operators/index.js';

const Numbers = producer('Numbers', (i) => i);
const Double = pe(
  'Double',
  map((x: number) => 2 * x),
  { instances: 2 },
);
const Triple = pe(
  'Triple',
  map((x: number) => 3 * x),
  { instances: 2 },
);
const CountAll = pe('CountAll', count<number>());
const Merge = pe(
  'Merge',
  { inputs: ['a', 'b'], outputs: ['output'] },
  ({ a, b }: Streams<{ a: number; b: number }>): Streams<{ output: number }> => ({
    output: merge(a, b).pipe(reduce((total, x) => total + x, 0)),
  }),
);

const isEven = (x: number): boolean => (x & 1) === 0;
const isOdd = (x: number): boolean => (x & 1) === 1;

/** The workflow: `Numbers -> Split -> {Double, Triple} -> Merge`, and `Numbers -> CountAll`. */
export const splitmerge = workflow('splitmerge', () => {
  const numbers = Numbers();
  const { even, odd } = partition(numbers, { even: isEven, odd: isOdd }, { name: 'Split' });
  const { output } = Merge({ a: even.pipe(Double), b: odd.pipe(Triple) });
  return { Merge: output, CountAll: numbers.pipe(CountAll) };
});

/** The answer for N = `iterations`: total `2*sum(even) + 3*sum(odd)`, count N. */
export function expected(iterations: number): { Merge: number[]; CountAll: number[] } {
  let total = 0;
  for (let i = 0; i < iterations; i++) total += (i & 1) === 0 ? 2 * i : 3 * i;
  return { Merge: [total], CountAll: [iterations] };
}
