/**
 * dispel4py's `graph_testing/teecopy.py`: `TestProducer` feeds two *different* PEs, `cons1`
 * and `cons2` (a tee). Written dispel4py's way, with `WorkflowBuilder.connect`.
 *
 * dispel4py: every consumer of a tee gets every item, each its own copy (`simple` deep-copies
 * on fan-out); with `-i n` both `cons1` and `cons2` output `[1 .. n]`.
 */
import { WorkflowBuilder } from '../../src/index.js';
import { counter, testOneInOneOutPE, testProducerPE } from './testingPEs.js';

const prod = testProducerPE('prod');
const cons1 = testOneInOneOutPE('cons1');
const cons2 = testOneInOneOutPE('cons2');

/** The workflow: `prod -> {cons1, cons2}`; outputs `cons1`, `cons2`. */
export const teecopy = new WorkflowBuilder('teecopy')
  .connect(prod, 'output', cons1, 'input')
  .connect(prod, 'output', cons2, 'input')
  .build<never, { cons1: number; cons2: number }>();

/** dispel4py's answer: both consumers get `1 .. iterations`, in order. */
export function expected(iterations: number): { cons1: number[]; cons2: number[] } {
  return { cons1: counter(iterations), cons2: counter(iterations) };
}
