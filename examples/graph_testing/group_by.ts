/**
 * dispel4py's `graph_testing/group_by.py`: `RandomWordProducer` then three
 * `TestOneInOneOut` then a `WordCounter` grouped by the word. dispel4py adds
 * `graph.partitions = [[words], [c1, c2, c3], [count]]`, a placement hint that dispel4ts
 * leaves to the backend. Written with the RxJS DSL, mixing RxJS-style PEs with a
 * dispel4py-style one (`WordCounter` is a GenericPE).
 *
 * dispel4py: `[word, running count]` for every word; the words are random there, seeded here.
 */
import { workflow } from '../../src/index.js';
import { groupByKey } from '../../operators/index.js';
import {
  randomWord,
  randomWordProducer,
  runningCounts,
  testOneInOneOut,
  wordCounterPE,
  type WordCount,
  type WordItem,
} from './testingPEs.js';

const words = randomWordProducer('words');
const cons = testOneInOneOut<WordItem>('cons');
const count = wordCounterPE('count');

/** The workflow: `words -> cons -> cons_2 -> cons_3 -> count` (group-by word); output `count`. */
export const groupBy = workflow('group_by', () =>
  words().pipe(cons, cons, cons, groupByKey<WordItem>(0), count),
);

/** The answer: a multiset of `[word, running count]`. */
export function expected(iterations: number): { count: WordCount[] } {
  return { count: runningCounts(Array.from({ length: iterations }, (_, i) => randomWord(i))) };
}
