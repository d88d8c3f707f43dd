/**
 * dispel4py's `graph_testing/grouping_onetoall.py`: `TestProducer` feeds `cons`, a
 * `TestOneInOneOut` with two instances and grouping `'all'` (one-to-all): every instance
 * gets every item. Written dispel4py's way, with `WorkflowBuilder.connect(..., 'all')`.
 *
 * dispel4py's MPI log shows both instances processing every block ("TestOneInOneOut1 (rank
 * 0): Processed 1 input block(s)", the same for rank 1). Here `cons` also reports that as
 * data on port `processed`: `[instance, items processed]` for each instance, so a test can
 * check it. `cons` outputs each item twice (once per instance).
 */
import { WorkflowBuilder } from '../../src/index.js';
import { counter, testOneInOneOutTallyPE, testProducerPE } from './testingPEs.js';

const prod = testProducerPE('prod');
const cons = testOneInOneOutTallyPE('cons', { instances: 2 });

/** The workflow: `prod -> cons` (2 instances, one-to-all); outputs `cons`, `cons.processed`. */
export const groupingOneToAll = new WorkflowBuilder('grouping_onetoall')
  .connect(prod, 'output', cons, 'input', 'all')
  .build<never, { cons: number; 'cons.processed': readonly [number, number] }>();

/** dispel4py's answer: every item twice, and both instances processed every item. */
export function expected(iterations: number): {
  cons: number[];
  'cons.processed': [number, number][];
} {
  return {
    cons: counter(iterations).flatMap((i) => [i, i]),
    'cons.processed': [
      [0, iterations],
      [1, iterations],
    ],
  };
}
