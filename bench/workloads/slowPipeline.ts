/**
 * W1 `pipeline` with `Sum` slowed by a busy-wait of 1 µs per item: a fast producer feeding a
 * slow consumer, so memory shows any unbounded queue (issue 5). Workers import this module by
 * path, so it is a module of its own.
 */
import { map, reduce } from 'rxjs';
import { pe, producer, workflow } from '../../src/index.js';
import { allToOne } from '../../operators/index.js';

/** Busy-waits `micros` µs. */
function busyWait(micros: number): void {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until);
}

const Numbers = producer('Numbers', (i) => i);
const AddOne = pe(
  'AddOne',
  map((x: number) => x + 1),
);
const Sum = pe(
  'Sum',
  reduce((total: number, x: number) => {
    busyWait(1);
    return total + x;
  }, 0),
);

/** The workflow: W1's, with the slow `Sum`. */
export const slowPipeline = workflow('slowPipeline', () =>
  Numbers().pipe(AddOne, AddOne, AddOne, allToOne(), Sum),
);

/** The answer for N = `iterations`: N(N-1)/2 + 3N, as W1's. */
export function expected(iterations: number): { Sum: number[] } {
  const n = iterations;
  return { Sum: [(n * (n - 1)) / 2 + 3 * n] };
}
