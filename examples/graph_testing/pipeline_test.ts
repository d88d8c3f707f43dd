/**
 * dispel4py's `graph_testing/pipeline_test.py`: a linear pipeline, `TestProducer` then five
 * `TestOneInOneOut` in a chain, written dispel4py's way (GenericPE classes joined with
 * `WorkflowBuilder.connect`).
 *
 * dispel4py: `dispel4py simple dispel4py.examples.graph_testing.pipeline_test -i 5` outputs
 * `{'TestOneInOneOut5': {'output': [1, 2, 3, 4, 5]}}`: the last PE's unconnected output gets
 * the producer's counter, in order.
 *
 * @example
 * ```sh
 * npx dispel4ts run examples/graph_testing/pipeline_test.ts -i 5
 * ```
 */
import { WorkflowBuilder } from '../../src/index.js';
import { counter, testOneInOneOutPE, testProducerPE } from './testingPEs.js';

const graph = new WorkflowBuilder('pipeline_test');
const prod = testProducerPE('prod');
let previous: object = prod;
for (let i = 1; i <= 5; i++) {
  const cons = testOneInOneOutPE(`cons${i}`);
  graph.connect(previous, 'output', cons, 'input');
  previous = cons;
}

/** The workflow: `prod -> cons1 -> ... -> cons5`; output `cons5`. */
export const pipelineTest = graph.build<never, { cons5: number }>();

/** dispel4py's answer for `-i iterations`: `cons5` gets `1 .. iterations`, in order. */
export function expected(iterations: number): { cons5: number[] } {
  return { cons5: counter(iterations) };
}
