/**
 * dispel4py's `graph_testing/unconnected_pipeline.py`: two independent copies of the
 * six-node pipeline (`TestProducer` then five `TestOneInOneOut`) in one graph. Written with
 * the RxJS DSL: the same PE used again is a new node, numbered (`TestOneInOneOut_2`, ...).
 *
 * dispel4py: two roots, two components, results from both sinks; with `-i n` each last PE
 * outputs `[1 .. n]`.
 */
import type { Observable } from 'rxjs';
import { workflow } from '../../src/index.js';
import { counter, testOneInOneOut, testProducer } from './testingPEs.js';

const TestProducer = testProducer();
const TestOneInOneOut = testOneInOneOut();

const chain = (numbers: Observable<number>): Observable<number> =>
  numbers.pipe(TestOneInOneOut, TestOneInOneOut, TestOneInOneOut, TestOneInOneOut, TestOneInOneOut);

/** The workflow: two unconnected pipelines; outputs `pipeline1` and `pipeline2`. */
export const unconnectedPipeline = workflow('unconnected_pipeline', () => ({
  pipeline1: chain(TestProducer()),
  pipeline2: chain(TestProducer()),
}));

/** dispel4py's answer: each pipeline's last PE gets `1 .. iterations`, in order. */
export function expected(iterations: number): { pipeline1: number[]; pipeline2: number[] } {
  return { pipeline1: counter(iterations), pipeline2: counter(iterations) };
}
