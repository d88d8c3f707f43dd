import { describe, expect, it } from 'vitest';
import { collect } from '../../src/index.js';
import { sequential } from '../../backends/sequential/index.js';
import * as isprime from '../../examples/workloads/isprime.js';
import * as pipeline from '../../examples/workloads/pipeline.js';
import * as splitmerge from '../../examples/workloads/splitmerge.js';
import * as traces from '../../examples/workloads/traces.js';
import * as wordcount from '../../examples/workloads/wordcount.js';

const nodeOf = (graph: { nodes: readonly { name: string; instances: number }[] }, name: string) =>
  graph.nodes.find((node) => node.name === name);

/** Primality by BigInt trial division over every integer: a second opinion. */
function isPrimeSlow(n: number): boolean {
  const b = BigInt(n);
  for (let d = 2n; d * d <= b; d++) if (b % d === 0n) return false;
  return n > 1;
}

describe('W1 pipeline', () => {
  it('answers N(N-1)/2 + 3N', async () => {
    expect(await collect(pipeline.pipeline, sequential(), { iterations: 1000 })).toEqual({
      Sum: [(1000 * 999) / 2 + 3000],
    });
  });
});

describe('W2 wordcount', () => {
  it('gives the words w0, w1, w10, w100, ... each N/1000 times when N is a multiple of 1000', async () => {
    const { Top } = await collect(wordcount.wordcount, sequential(), { iterations: 4000 });
    expect(Top).toEqual([
      ['w0', 'w1', 'w10', 'w100', 'w101', 'w102', 'w103', 'w104', 'w105', 'w106'].map((w) => [
        w,
        4,
      ]),
    ]);
  });

  for (const k of [1, 2, 5]) {
    it(`with ${k} CountWords instance(s), every instance sees only its own keys`, async () => {
      const results = await collect(wordcount.wordcount, sequential(), {
        iterations: 2500,
        instances: { CountWords: k },
      });
      expect(results.Top).toEqual(wordcount.expected(2500).Top);
      expect(results.CountWords).toHaveLength(1000);
      expect(wordcount.ownKeysOnly(results.CountWords)).toBe(true);
    });
  }

  it('ownKeysOnly catches a word counted by two instances', () => {
    expect(
      wordcount.ownKeysOnly([
        ['w1', 1],
        ['w2', 1],
      ]),
    ).toBe(true);
    expect(
      wordcount.ownKeysOnly([
        ['w1', 1],
        ['w1', 2],
      ]),
    ).toBe(false);
  });

  it('runs CountWords with 2 instances by default, group-by on the word, Top all-to-one', () => {
    const { graph } = wordcount.wordcount;
    expect(nodeOf(graph, 'CountWords')?.instances).toBe(2);
    const grouping = (to: string) => graph.connections.find((c) => c.to.pe === to)?.grouping.kind;
    expect(grouping('CountWords')).toBe('groupByKey');
    expect(grouping('Top')).toBe('allToOne');
  });
});

describe('W3 isprime', () => {
  it('makes odd candidates in [1e9 + 1, 1.1e9) from the scrambled index', () => {
    expect(isprime.candidate(0)).toBe(1_000_000_001);
    for (let i = 0; i < 1000; i++) {
      const c = isprime.candidate(i);
      expect(c % 2).toBe(1);
      expect(c).toBeGreaterThanOrEqual(1_000_000_001);
      expect(c).toBeLessThan(1_100_000_001);
    }
  });

  it('tests primality by trial division', () => {
    const small = Array.from({ length: 30 }, (_, n) => n).filter(isprime.isPrime);
    expect(small).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    expect(isprime.isPrime(1_000_000_007)).toBe(true);
    expect(isprime.isPrime(1_000_000_011)).toBe(false); // 3 x 333_333_337
    expect(isprime.isPrime(1_000_000_021)).toBe(isPrimeSlow(1_000_000_021));
  });

  it('counts the same primes with 1, 2 and 4 IsPrime instances', async () => {
    const answer = isprime.expected(400);
    expect(answer.CountPrimes[0]).toBeGreaterThan(0);
    for (const k of [1, 2, 4]) {
      expect(
        await collect(isprime.isprime, sequential(), {
          iterations: 400,
          instances: { IsPrime: k },
        }),
      ).toEqual(answer);
    }
  });
});

describe('W4 splitmerge', () => {
  it('gives 2*sum(even) + 3*sum(odd) and the count N', async () => {
    const n = 1001;
    let even = 0;
    let odd = 0;
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0) even += i;
      else odd += i;
    }
    expect(await collect(splitmerge.splitmerge, sequential(), { iterations: n })).toEqual({
      Merge: [2 * even + 3 * odd],
      CountAll: [n],
    });
  });

  it('has Split with ports even and odd, Double and Triple with 2 instances, Merge with a and b', () => {
    const { graph } = splitmerge.splitmerge;
    expect(nodeOf(graph, 'Split')).toMatchObject({ outputs: ['even', 'odd'] });
    expect(nodeOf(graph, 'Double')?.instances).toBe(2);
    expect(nodeOf(graph, 'Triple')?.instances).toBe(2);
    expect(nodeOf(graph, 'Merge')).toMatchObject({ inputs: ['a', 'b'] });
    expect(
      graph.connections
        .filter((c) => c.from.pe === 'Numbers')
        .map((c) => c.to.pe)
        .sort(),
    ).toEqual(['CountAll', 'Split']);
  });
});

describe('W5 traces', () => {
  it('makes each trace from the integer formula', () => {
    const t3 = traces.samples(3);
    expect(t3).toBeInstanceOf(Float64Array);
    expect(t3).toHaveLength(8192);
    for (const j of [0, 1, 4095, 8191]) {
      const exact = Number((BigInt(3 * 8192 + j) * 2654435761n) % 4294967296n) / 4294967296 - 0.5;
      expect(t3[j]).toBe(exact);
    }
  });

  it('normalises to mean 0 and standard deviation 1', () => {
    const x = traces.normalise(traces.samples(7));
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(1e-12);
    expect(variance).toBeCloseTo(1, 12);
  });

  it('agrees with the plain loop to 1e-9 relative', async () => {
    const { Collect } = await collect(traces.traces, sequential(), { iterations: 16 });
    const [answer] = traces.expected(16).Collect;
    expect(Collect).toHaveLength(1);
    expect(Collect[0]!.count).toBe(16);
    expect(Math.abs(Collect[0]!.peakSum - answer!.peakSum)).toBeLessThanOrEqual(
      1e-9 * answer!.peakSum,
    );
  });
});
