import { describe, expect, it } from 'vitest';
import { collect, genericPE, validate, WorkflowBuilder } from '../../src/index.js';
import { sequential } from '../../backends/sequential/index.js';
import { pipelineTest } from '../../examples/graph_testing/pipeline_test.js';
import { sieve, STAGES } from '../../examples/graph_testing/sieve.js';
import { splitMerge } from '../../examples/graph_testing/split_merge.js';
import {
  keeps,
  mix32,
  randomWord,
  runningCounts,
  TestOneInOneOut,
  testProducerPE,
  WORDS,
} from '../../examples/graph_testing/testingPEs.js';

describe('graph_testing ports', () => {
  it('pipeline_test outputs nothing for zero iterations', async () => {
    expect(await collect(pipelineTest, sequential(), { iterations: 0 })).toEqual({ cons5: [] });
  });

  it('split_merge calls TestTwoInOneOut once per arriving item: ["1", "1"], not "11"', async () => {
    expect(await collect(splitMerge, sequential(), { iterations: 2 })).toEqual({
      last: ['1', '1', '2', '2'],
    });
  });

  it('sieve is a chain of 198 stages, every one feeding PrimeCollector', () => {
    expect(sieve.graph.nodes).toHaveLength(STAGES + 2);
    expect(sieve.graph.connections.filter((c) => c.to.pe === 'PrimeCollector')).toHaveLength(
      STAGES,
    );
    expect(validate(sieve.graph)).toEqual([]);
  });

  it('the recursive sieve (a stage feeding itself) is a cycle, which validate rejects', () => {
    const Divide = genericPE('Divide', TestOneInOneOut<number>);
    const looped = new WorkflowBuilder('sieve_loop')
      .connect(testProducerPE('NumberProducer'), 'output', Divide, 'input')
      .connect(Divide, 'output', Divide, 'input')
      .build();
    expect(validate(looped.graph).map((p) => p.code)).toContain('cycle');
  });

  it('sieve gives the same primes for several iterations', async () => {
    const once = await collect(sieve, sequential(), { iterations: 1 });
    const twice = await collect(sieve, sequential(), { iterations: 2 });
    expect(once.primes).toHaveLength(168);
    expect(twice.primes).toEqual(once.primes);
  });
});

describe('testingPEs: seeded randomness', () => {
  it('spreads the words and the coin flips like a random source would', () => {
    const n = 7000;
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) seen.set(randomWord(i), (seen.get(randomWord(i)) ?? 0) + 1);
    expect([...seen.keys()].sort()).toEqual([...WORDS].sort());
    for (const count of seen.values()) expect(Math.abs(count - n / 7)).toBeLessThan(n / 7 / 5);
    const kept = Array.from({ length: n }, (_, i) => keeps('filter', i)).filter(Boolean).length;
    expect(Math.abs(kept - n / 2)).toBeLessThan(n / 20);
  });

  it('gives two differently named filters different decisions', () => {
    const differ = Array.from(
      { length: 100 },
      (_, i) => keeps('filter1', i) !== keeps('filter2', i),
    );
    expect(differ.filter(Boolean).length).toBeGreaterThan(25);
  });

  it('mix32 is a 32-bit unsigned hash', () => {
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).not.toBe(mix32(2));
    expect(mix32(0xffffffff)).toBeGreaterThanOrEqual(0);
  });

  it('runningCounts gives [word, 1..c] for each word', () => {
    expect(runningCounts(['a', 'b', 'a'])).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
    ]);
  });
});
