/**
 * dispel4py's `graph_testing/pipeline_composite.py`: `TestProducer` feeds a composite PE made
 * by `create_iterative_chain([addTwo, multiplyByFour, divideByTwo, (subtract, {'n': 1})])`.
 * Written with the RxJS DSL and `iterativeChain`: each function is its own PE inside the
 * composite, named `chain/addTwo`, ..., `chain/subtract`.
 *
 * dispel4py: one iteration outputs `{'PE_subtract3': {'output': [5]}}` (`5.0` under Python
 * 3's `/`): `((1 + 2) * 4) / 2 - 1`. For iteration `i` the value is `2i + 3`.
 */
import { iterativeChain, workflow } from '../../src/index.js';
import { testProducer } from './testingPEs.js';

/** Returns `2 + data`. */
export function addTwo(data: number): number {
  return 2 + data;
}

/** Returns `4 * data`. */
export function multiplyByFour(data: number): number {
  return 4 * data;
}

/** Returns `data / 2`. */
export function divideByTwo(data: number): number {
  return data / 2;
}

/** Returns `data - n`. */
export function subtract(data: number, { n }: { n: number }): number {
  return data - n;
}

const prod = testProducer('prod');
const chain = iterativeChain<number, number>('chain', [
  addTwo,
  multiplyByFour,
  divideByTwo,
  [subtract, { n: 1 }],
]);

/** The workflow: `prod -> chain(addTwo, multiplyByFour, divideByTwo, subtract n=1)`. */
export const pipelineComposite = workflow('pipeline_composite', () => ({
  output: prod().pipe(chain),
}));

/** dispel4py's answer: `((i + 2) * 4) / 2 - 1 = 2i + 3` for `i = 1 .. iterations`, in order. */
export function expected(iterations: number): { output: number[] } {
  return { output: Array.from({ length: iterations }, (_, k) => ((k + 1 + 2) * 4) / 2 - 1) };
}
