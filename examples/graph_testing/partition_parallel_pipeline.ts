/**
 * dispel4py's `graph_testing/partition_parallel_pipeline.py`: the graph of
 * `parallel_pipeline` with `graph.partitions = [[prod, cons1, cons2], [cons3]]`, which in
 * dispel4py's `-s` mode co-locates each partition in one process.
 *
 * dispel4ts has no partitions in the graph: placement is the backend's business, and a graph
 * means the same wherever its PEs run. This port keeps the partition as data
 * ({@link partitions}) for a backend or a reader, and gives `parallel_pipeline`'s answer,
 * which is dispel4py's: `cons2` and `cons3` each output `[1 .. n]` for `-i n`.
 */
import { workflow } from '../../src/index.js';
import { counter, testOneInOneOut, testProducer } from './testingPEs.js';

const prod = testProducer('prod');
const cons1 = testOneInOneOut('cons1');
const cons2 = testOneInOneOut('cons2');
const cons3 = testOneInOneOut('cons3');

/** dispel4py's `graph.partitions`, by PE name. */
export const partitions: readonly (readonly string[])[] = [['prod', 'cons1', 'cons2'], ['cons3']];

/** The workflow: `prod -> cons1 -> {cons2, cons3}`; outputs `cons2`, `cons3`. */
export const partitionParallelPipeline = workflow('partition_parallel_pipeline', () => {
  const first = prod().pipe(cons1);
  return { cons2: first.pipe(cons2), cons3: first.pipe(cons3) };
});

/** dispel4py's answer: `cons2` and `cons3` each get `1 .. iterations`, in order. */
export function expected(iterations: number): { cons2: number[]; cons3: number[] } {
  return { cons2: counter(iterations), cons3: counter(iterations) };
}
