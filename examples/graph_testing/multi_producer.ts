/**
 * dispel4py 1.x's `graph_testing/multi_producer.py`: `TestMultiProducer` (a root PE that
 * writes `0 .. 9` on each call) then two `TestOneInOneOut`. Written dispel4py's way: a
 * GenericPE that writes several items per `process()` call, joined with
 * `WorkflowBuilder.connect`.
 *
 * dispel4py: `cons2` outputs `0 .. 9` once per iteration, in order.
 */
import { genericPE, WorkflowBuilder } from '../../src/index.js';
import { TestMultiProducer, testOneInOneOutPE } from './testingPEs.js';

const prod = genericPE('prod', TestMultiProducer, { inputs: [], outputs: ['output'] });
const cons1 = testOneInOneOutPE('cons1');
const cons2 = testOneInOneOutPE('cons2');

/** The workflow: `prod -> cons1 -> cons2`; output `cons2`. */
export const multiProducer = new WorkflowBuilder('multi_producer')
  .connect(prod, 'output', cons1, 'input')
  .connect(cons1, 'output', cons2, 'input')
  .build<never, { cons2: number }>();

/** dispel4py's answer: `0 .. 9` for each iteration, in order. */
export function expected(iterations: number): { cons2: number[] } {
  return { cons2: Array.from({ length: 10 * iterations }, (_, i) => i % 10) };
}
