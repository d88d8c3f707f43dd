/**
 * dispel4py's `graph_testing/grouping_alltoone.py`: `TestProducer -> cons1` (5 instances)
 * `-> cons2` (5 instances, grouping `'global'`): all-to-one, so only one instance of `cons2`
 * receives data. Written with the RxJS DSL: `allToOne()` marks the boundary.
 *
 * dispel4py's MPI log for `-i 10`: "TestOneInOneOut2 (rank 6): Processed 10 iterations" and
 * "Processed 0 iterations" for the four other instances. Here `cons2` reports the same as
 * data on its `processed` port (`[instance, count]`), and outputs every item once.
 */
import { workflow } from '../../src/index.js';
import { allToOne } from '../../operators/index.js';
import { counter, testOneInOneOut, testOneInOneOutTallyPE, testProducer } from './testingPEs.js';

const prod = testProducer('prod');
const cons1 = testOneInOneOut('cons1', { instances: 5 });
const cons2 = testOneInOneOutTallyPE('cons2', { instances: 5 });

/** The workflow: `prod -> cons1 (x5) -> cons2 (x5, all-to-one)`; outputs `cons2`, `cons2.processed`. */
export const groupingAllToOne = workflow('grouping_alltoone', () => {
  const { output, processed } = cons2({ input: prod().pipe(cons1, allToOne()) });
  return { cons2: output, 'cons2.processed': processed };
});

/** dispel4py's answer: `1 .. iterations` (a multiset), all processed by instance 0 of `cons2`. */
export function expected(iterations: number): {
  cons2: number[];
  'cons2.processed': [number, number][];
} {
  return {
    cons2: counter(iterations),
    'cons2.processed': [
      [0, iterations],
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
    ],
  };
}
