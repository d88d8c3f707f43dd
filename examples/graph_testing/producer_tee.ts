/**
 * dispel4py's `graph_testing/producer_tee.py`: `TestProducer` tees to `cons1a` and `cons1b`;
 * only `cons1a` continues, into `cons2`. Written dispel4py's way, with
 * `WorkflowBuilder.connect`.
 *
 * dispel4py: the unconnected outputs are `cons2` and `cons1b`, each `[1 .. n]` for `-i n`.
 */
import { WorkflowBuilder } from '../../src/index.js';
import { counter, testOneInOneOutPE, testProducerPE } from './testingPEs.js';

const prod = testProducerPE('prod');
const cons1a = testOneInOneOutPE('cons1a');
const cons1b = testOneInOneOutPE('cons1b');
const cons2 = testOneInOneOutPE('cons2');

/** The workflow: `prod -> {cons1a -> cons2, cons1b}`; outputs `cons2`, `cons1b`. */
export const producerTee = new WorkflowBuilder('producer_tee')
  .connect(prod, 'output', cons1a, 'input')
  .connect(prod, 'output', cons1b, 'input')
  .connect(cons1a, 'output', cons2, 'input')
  .build<never, { cons2: number; cons1b: number }>();

/** dispel4py's answer: `cons2` and `cons1b` each get `1 .. iterations`, in order. */
export function expected(iterations: number): { cons2: number[]; cons1b: number[] } {
  return { cons2: counter(iterations), cons1b: counter(iterations) };
}
