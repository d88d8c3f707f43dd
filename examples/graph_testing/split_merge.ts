/**
 * dispel4py's `graph_testing/split_merge.py`: `TestProducer(2)` writes its counter on
 * `output0` (to `cons1`, a `TestOneInOneOut`) and `output1` (to `cons2`, a
 * `TestOneInOneOutWriter`); both feed `last`, a `TestTwoInOneOut`, on `input0` and `input1`.
 * Written dispel4py's way: GenericPE classes and `WorkflowBuilder.connect` with named ports.
 *
 * dispel4py calls a multi-input PE once per arriving item (there is no join), so `last`
 * outputs `"1"` twice for iteration 1, not `"11"`: `simple` yields `["1", "1"]` per
 * iteration (dispel4py's `simple_process_test.testSquare`). Across instances the order of the
 * two inputs is not defined: compare as a multiset.
 */
import { genericPE, WorkflowBuilder } from '../../src/index.js';
import {
  TestOneInOneOut,
  TestOneInOneOutWriter,
  testProducerPE,
  TestTwoInOneOut,
} from './testingPEs.js';

const prod = testProducerPE('prod', 2);
const cons1 = genericPE('cons1', TestOneInOneOut<number>);
const cons2 = genericPE('cons2', TestOneInOneOutWriter<number>);
const last = genericPE('last', TestTwoInOneOut, {
  inputs: ['input0', 'input1'],
  outputs: ['output'],
});

/** The workflow: `prod.output0 -> cons1 -> last.input0`, `prod.output1 -> cons2 -> last.input1`. */
export const splitMerge = new WorkflowBuilder('split_merge')
  .connect(prod, 'output0', cons1, 'input')
  .connect(prod, 'output1', cons2, 'input')
  .connect(cons1, 'output', last, 'input0')
  .connect(cons2, 'output', last, 'input1')
  .build<never, { last: string }>();

/** dispel4py's answer: `"i"` twice for each iteration `i` (a multiset). */
export function expected(iterations: number): { last: string[] } {
  const last: string[] = [];
  for (let i = 1; i <= iterations; i++) last.push(String(i), String(i));
  return { last };
}
