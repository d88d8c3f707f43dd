/**
 * W1 `pipeline` (shared/bench/WORKLOADS.md): per-item framework overhead. The producer emits
 * 0 .. N-1 (N = iterations), three `AddOne` stages each `x -> x + 1`, and `Sum`, fed
 * all-to-one, emits the total at the end.
 */
import { map, reduce } from 'rxjs';
import { pe, producer, workflow } from '../../src/index.js';
import { allToOne } from '../../operators/index.js';

// Called once per iteration: a producer the distributed backends can pause (flow control).
const Numbers = producer('Numbers', (i) => i);
const AddOne = pe('AddOne', map((x: number) => x + 1));
const Sum = pe('Sum', reduce((total: number, x: number) => total + x, 0));

export const pipeline = workflow('pipeline', () =>
  Numbers().pipe(AddOne, AddOne, AddOne, allToOne(), Sum),
);

/** The answer for N = `iterations`: N(N-1)/2 + 3N. */
export function expected(iterations: number): { Sum: number[] } {
  const n = iterations;
  return { Sum: [(n * (n - 1)) / 2 + 3 * n] };
}
