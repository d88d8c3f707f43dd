/**
 * dispel4py's `graph_testing/word_count.py`: `RandomWordProducer` feeds `WordCounter` with
 * three instances, grouped by the word (dispel4py's `GROUPING: [0]`). Written dispel4py's way,
 * with `WorkflowBuilder.connect(..., [0])`.
 *
 * dispel4py: each instance counts only its own words, so the running counts are exact:
 * `[w, 1] .. [w, c]` for a word seen `c` times, whatever instance owns it (a multiset).
 */
import { WorkflowBuilder } from '../../src/index.js';
import {
  randomWord,
  randomWordProducer,
  runningCounts,
  wordCounterPE,
  type WordCount,
} from './testingPEs.js';

const words = randomWordProducer('words');
const counter = wordCounterPE('counter', { instances: 3 });

/** The workflow: `words -> counter` (3 instances, group-by field 0); output `counter`. */
export const wordCount = new WorkflowBuilder('word_count')
  .connect(words, 'output', counter, 'input', [0])
  .build<never, { counter: WordCount }>();

/** The answer: a multiset of `[word, running count]`. */
export function expected(iterations: number): { counter: WordCount[] } {
  return { counter: runningCounts(Array.from({ length: iterations }, (_, i) => randomWord(i))) };
}
