/**
 * dispel4py's `graph_testing/parallel_pipeline.py`: `TestProducer -> cons1`, then `cons1`'s
 * output read by both `cons2` and `cons3` (fan-out after a stage). Written with the RxJS DSL:
 * a stream piped twice is a tee.
 *
 * dispel4py: with `-i n`, `cons2` and `cons3` each output `[1 .. n]`.
 */
import { workflow } from '../../src/index.js';
import { counter, testOneInOneOut, testProducer } from './testingPEs.js';

const prod = testProducer('prod');
const cons1 = testOneInOneOut('cons1');
const cons2 = testOneInOneOut('cons2');
const cons3 = testOneInOneOut('cons3');

/** The workflow: `prod -> cons1 -> {cons2, cons3}`; outputs `cons2`, `cons3`. */
export const parallelPipeline = workflow('parallel_pipeline', () => {
  const first = prod().pipe(cons1);
  return { cons2: first.pipe(cons2), cons3: first.pipe(cons3) };
});

/** dispel4py's answer: `cons2` and `cons3` each get `1 .. iterations`, in order. */
export function expected(iterations: number): { cons2: number[]; cons3: number[] } {
  return { cons2: counter(iterations), cons3: counter(iterations) };
}
