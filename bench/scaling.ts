/**
 * W3 (isprime) scaling on one backend, k = 2 against k = 1, measured in one process,
 * interleaved (a k = 1 run, then a k = 2 run, pair after pair) after warm-up: the median of
 * per-pair speedups. The harness (`npm run bench`) measures each k in a fresh process one after
 * the other, so a minute in which this 2-core machine runs slower moves one side only; pairs
 * taken a fraction of a second apart see the same machine. Every answer is checked.
 *
 * Usage (under the bench lock): npx tsx bench/scaling.ts [threads|mpi|mqtt] [N] [pairs]
 */
import { collect } from '../src/dsl/run.js';
import type { Backend } from '../src/backend.js';
import { expected, isprime } from '../examples/workloads/isprime.js';
import { backends } from './backends.js';
import { interleaved } from './interleaved.js';
import { median } from './summarise.js';

const name = process.argv[2] ?? 'threads';
const n = Number(process.argv[3] ?? 40_000);
const pairs = Number(process.argv[4] ?? 15);
const WARMUP_PAIRS = 3;

const entry = backends.find((b) => b.name === name);
if (!entry)
  throw new Error(`unknown backend ${name}; known: ${backends.map((b) => b.name).join(', ')}`);
const unavailable = await entry.available();
if (unavailable) {
  console.error(`skipping ${name}: ${unavailable}`);
  process.exit(2);
}
const one = await entry.make(1);
const two = await entry.make(2);
const answer = expected(n).CountPrimes[0];

async function seconds(backend: Backend, k: number): Promise<number> {
  const start = performance.now();
  const results = (await collect(isprime, backend, {
    iterations: n,
    instances: { IsPrime: k },
  })) as { CountPrimes?: number[] };
  const elapsed = (performance.now() - start) / 1000;
  if (results.CountPrimes?.[0] !== answer)
    throw new Error(`wrong answer at k = ${k}: ${JSON.stringify(results)}, expected ${answer}`);
  return elapsed;
}

const {
  firsts: ones,
  seconds: twos,
  ratios: speedups,
} = await interleaved(
  () => seconds(one, 1),
  () => seconds(two, 2),
  pairs,
  WARMUP_PAIRS,
);
console.log(
  JSON.stringify({
    backend: name,
    n,
    pairs,
    k1_s: +median(ones).toFixed(4),
    k2_s: +median(twos).toFixed(4),
    speedup: +median(speedups).toFixed(3),
    speedups: speedups.map((s) => +s.toFixed(2)),
  }),
);
for (const backend of [one, two]) {
  const close = (backend as { close?: () => Promise<void> }).close;
  if (typeof close === 'function') await close.call(backend).catch(() => undefined);
}
process.exit(0);
