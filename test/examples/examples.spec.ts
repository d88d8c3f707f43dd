import { describe, expect, it } from 'vitest';
import { collect } from '../../src/index.js';
import { sequential } from '../../backends/sequential/index.js';
import { cases } from '../conformance/cases.js';
import { expectSameResults } from '../helpers/results.js';

describe('every example gives its answer on the sequential backend', () => {
  for (const example of cases) {
    it(example.name, async () => {
      const results = await collect(example.workflow, sequential(), example.options);
      expectSameResults(results, example.expected, example);
      example.check?.(results);
    });
  }
});

describe('the example catalogue', () => {
  it('covers every graph_testing port and every workload', () => {
    const names = cases.map((c) => c.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'graph_testing/pipeline_test',
        'graph_testing/unconnected_pipeline',
        'graph_testing/teecopy',
        'graph_testing/parallel_pipeline',
        'graph_testing/partition_parallel_pipeline',
        'graph_testing/split_merge',
        'graph_testing/grouping_split_merge',
        'graph_testing/grouping_onetoall',
        'graph_testing/grouping_alltoone',
        'graph_testing/group_by',
        'graph_testing/word_count',
        'graph_testing/word_count_filter',
        'graph_testing/pipeline_composite',
        'graph_testing/producer_tee',
        'graph_testing/multi_producer',
        'graph_testing/sieve',
        'workloads/pipeline',
        'workloads/wordcount',
        'workloads/isprime',
        'workloads/splitmerge',
        'workloads/traces',
      ]),
    );
  });

  it('gives every example workflow the module that defines it, for workers to import', () => {
    for (const example of cases) {
      expect(example.workflow.module, example.name).toMatch(
        new RegExp(`examples/${example.name}\\.ts$`),
      );
    }
  });
});
