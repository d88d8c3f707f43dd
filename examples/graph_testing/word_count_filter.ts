/**
 * dispel4py's `graph_testing/word_count_filter.py`: `RandomWordProducer` then `RandomFilter`
 * (5 instances) then `WordCounter` (3 instances, grouped by the word). Group-by with several
 * upstream instances: every filter instance must send a word to the same counter instance,
 * which is where dispel4py's per-process salted `hash()` goes wrong under MPI and dispel4ts's
 * stable `hashKey` does not. Written with the RxJS DSL.
 *
 * dispel4py: `[word, running count]` for every word that passed the filter; the filter is
 * random there and seeded here, so the multiset is fixed.
 */
import { workflow } from '../../src/index.js';
import { groupByKey } from '../../operators/index.js';
import {
  keeps,
  randomFilterPE,
  randomWord,
  randomWordProducer,
  runningCounts,
  wordCounterPE,
  type WordCount,
  type WordItem,
} from './testingPEs.js';

const words = randomWordProducer('words');
const filter = randomFilterPE('filter', { instances: 5 });
const count = wordCounterPE('count', { instances: 3 });

/** The workflow: `words -> filter (x5) -> count (x3, group-by word)`; output `count`. */
export const wordCountFilter = workflow('word_count_filter', () =>
  words().pipe(filter, groupByKey<WordItem>(0), count),
);

/** The answer: a multiset of `[word, running count]` over the words the filter kept. */
export function expected(iterations: number): { count: WordCount[] } {
  const kept: string[] = [];
  for (let i = 0; i < iterations; i++) if (keeps('filter', i)) kept.push(randomWord(i));
  return { count: runningCounts(kept) };
}
