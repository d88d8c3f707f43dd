/**
 * Every example workflow with a small run and its expected answer: what the example specs
 * check on the sequential backend and what the conformance suite runs on every backend.
 */
import { expect } from 'vitest';
import type { RunOptions, Workflow } from '../../src/index.js';
import * as groupBy from '../../examples/graph_testing/group_by.js';
import * as groupingAllToOne from '../../examples/graph_testing/grouping_alltoone.js';
import * as groupingOneToAll from '../../examples/graph_testing/grouping_onetoall.js';
import * as groupingSplitMerge from '../../examples/graph_testing/grouping_split_merge.js';
import * as multiProducer from '../../examples/graph_testing/multi_producer.js';
import * as parallelPipeline from '../../examples/graph_testing/parallel_pipeline.js';
import * as partitionParallelPipeline from '../../examples/graph_testing/partition_parallel_pipeline.js';
import * as pipelineComposite from '../../examples/graph_testing/pipeline_composite.js';
import * as pipelineTest from '../../examples/graph_testing/pipeline_test.js';
import * as producerTee from '../../examples/graph_testing/producer_tee.js';
import * as sieve from '../../examples/graph_testing/sieve.js';
import * as splitMerge from '../../examples/graph_testing/split_merge.js';
import * as teecopy from '../../examples/graph_testing/teecopy.js';
import * as unconnectedPipeline from '../../examples/graph_testing/unconnected_pipeline.js';
import * as wordCount from '../../examples/graph_testing/word_count.js';
import * as wordCountFilter from '../../examples/graph_testing/word_count_filter.js';
import * as isprime from '../../examples/workloads/isprime.js';
import * as pipeline from '../../examples/workloads/pipeline.js';
import * as splitmerge from '../../examples/workloads/splitmerge.js';
import * as traces from '../../examples/workloads/traces.js';
import * as wordcount from '../../examples/workloads/wordcount.js';
import * as semantics from '../fixtures/semantics.js';

/** Results of a run, by output name. */
export type Results = Readonly<Record<string, readonly unknown[]>>;

/** One example run: the workflow, the run's options and what it must give. */
export interface Case {
  /** `graph_testing/<file>` or `workloads/<file>`. */
  readonly name: string;
  readonly workflow: Workflow<unknown, Record<string, unknown>>;
  readonly options: RunOptions<unknown>;
  readonly expected: Results;
  /**
   * Outputs whose order is defined (single instances all the way from one producer): compared
   * in order. Every other output is compared as a multiset.
   */
  readonly ordered: readonly string[];
  /** Compares one output's values when equality is too strict (floating-point sums). */
  readonly close?: (actual: readonly unknown[], expected: readonly unknown[]) => void;
  /** Further checks of a run's results. */
  readonly check?: (results: Results) => void;
}

const wf = (workflow: unknown): Workflow<unknown, Record<string, unknown>> =>
  workflow as Workflow<unknown, Record<string, unknown>>;

/** A case whose answer is `module.expected(iterations)`. */
function example(
  name: string,
  workflow: unknown,
  expected: (iterations: number) => Results,
  iterations: number,
  ordered: readonly string[],
  extra: Partial<Pick<Case, 'close' | 'check'>> & { instances?: Record<string, number> } = {},
): Case {
  const { instances, ...rest } = extra;
  return {
    name,
    workflow: wf(workflow),
    options: instances ? { iterations, instances } : { iterations },
    expected: expected(iterations),
    ordered,
    ...rest,
  };
}

/** Relative agreement to 1e-9 of `{ peakSum, count }` summaries (W5). */
function closeSummaries(actual: readonly unknown[], expected: readonly unknown[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    const a = value as traces.Summary;
    const e = expected[i] as traces.Summary;
    expect(a.count).toBe(e.count);
    expect(Math.abs(a.peakSum - e.peakSum)).toBeLessThanOrEqual(1e-9 * Math.abs(e.peakSum));
  });
}

/** Every example, with a small size. */
export const cases: readonly Case[] = [
  example('graph_testing/pipeline_test', pipelineTest.pipelineTest, pipelineTest.expected, 10, [
    'cons5',
  ]),
  example(
    'graph_testing/unconnected_pipeline',
    unconnectedPipeline.unconnectedPipeline,
    unconnectedPipeline.expected,
    10,
    ['pipeline1', 'pipeline2'],
  ),
  example('graph_testing/teecopy', teecopy.teecopy, teecopy.expected, 10, ['cons1', 'cons2']),
  example(
    'graph_testing/parallel_pipeline',
    parallelPipeline.parallelPipeline,
    parallelPipeline.expected,
    10,
    ['cons2', 'cons3'],
  ),
  example(
    'graph_testing/partition_parallel_pipeline',
    partitionParallelPipeline.partitionParallelPipeline,
    partitionParallelPipeline.expected,
    10,
    ['cons2', 'cons3'],
  ),
  example('graph_testing/split_merge', splitMerge.splitMerge, splitMerge.expected, 10, []),
  example(
    'graph_testing/grouping_split_merge',
    groupingSplitMerge.groupingSplitMerge,
    groupingSplitMerge.expected,
    60,
    [],
  ),
  example(
    'graph_testing/grouping_onetoall',
    groupingOneToAll.groupingOneToAll,
    groupingOneToAll.expected,
    10,
    [],
  ),
  example(
    'graph_testing/grouping_alltoone',
    groupingAllToOne.groupingAllToOne,
    groupingAllToOne.expected,
    10,
    [],
  ),
  example('graph_testing/group_by', groupBy.groupBy, groupBy.expected, 60, []),
  example('graph_testing/word_count', wordCount.wordCount, wordCount.expected, 60, []),
  example(
    'graph_testing/word_count_filter',
    wordCountFilter.wordCountFilter,
    wordCountFilter.expected,
    60,
    [],
  ),
  example(
    'graph_testing/pipeline_composite',
    pipelineComposite.pipelineComposite,
    pipelineComposite.expected,
    10,
    ['output'],
  ),
  example('graph_testing/producer_tee', producerTee.producerTee, producerTee.expected, 10, [
    'cons2',
    'cons1b',
  ]),
  example('graph_testing/multi_producer', multiProducer.multiProducer, multiProducer.expected, 3, [
    'cons2',
  ]),
  example('graph_testing/sieve', sieve.sieve, sieve.expected, 1, ['Divide199']),
  example('workloads/pipeline', pipeline.pipeline, pipeline.expected, 2000, ['Sum']),
  example('workloads/wordcount', wordcount.wordcount, wordcount.expected, 3000, ['Top'], {
    instances: { CountWords: 3 },
    check: (results) => {
      const pairs = results['CountWords'] as wordcount.WordCount[];
      expect(wordcount.ownKeysOnly(pairs), 'a word was counted by two CountWords instances').toBe(
        true,
      );
    },
  }),
  example('workloads/isprime', isprime.isprime, isprime.expected, 300, ['CountPrimes'], {
    instances: { IsPrime: 3 },
  }),
  example('workloads/splitmerge', splitmerge.splitmerge, splitmerge.expected, 2000, [
    'Merge',
    'CountAll',
  ]),
  example('workloads/traces', traces.traces, traces.expected, 12, [], { close: closeSummaries }),
];

/** Semantics beyond the examples (fixtures in `test/fixtures/semantics.ts`). */
export const semanticsCases: readonly Case[] = [
  example('fixtures/mutatingTee', semantics.mutatingTee, semantics.mutatingTeeExpected, 5, [
    'mutated',
    'kept',
  ]),
  example(
    'fixtures/mutatingBroadcast',
    semantics.mutatingBroadcast,
    semantics.mutatingBroadcastExpected,
    4,
    [],
  ),
  example('fixtures/readTwice', semantics.readTwice, semantics.readTwiceExpected, 6, [
    'plus',
    'minus',
  ]),
  {
    name: 'fixtures/squares with input data (-d)',
    workflow: wf(semantics.squares),
    options: { iterations: 100, data: { Numbers: [1, 2, 3, 4, 5] } },
    expected: { Square: [1, 4, 9, 16, 25] },
    ordered: [],
  },
  {
    name: 'fixtures/doubled over an input stream',
    workflow: wf(semantics.doubled),
    options: { input: [1, 2, 3, 4] },
    expected: { Double: [2, 4, 6, 8] },
    ordered: ['Double'],
  },
];
