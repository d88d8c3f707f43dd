/**
 * W1 on the sequential backend against the same computation in plain RxJS, measured in the
 * same process, interleaved, after warm-up: the median of per-pair ratios.
 * Usage: npx tsx bench/seqOverhead.ts [N] [pairs]
 */
import { map, range, reduce } from 'rxjs';
import { collect } from '../src/dsl/run.js';
import { pipeline } from '../examples/workloads/pipeline.js';
import { interleaved } from './interleaved.js';
import { median } from './summarise.js';

const N = Number(process.argv[2] ?? 1_000_000);
const pairs = Number(process.argv[3] ?? 21);

function plainRx(): Promise<number> {
  return new Promise((resolve) => {
    range(0, N)
      .pipe(
        map((x) => x + 1),
        map((x) => x + 1),
        map((x) => x + 1),
        reduce((a, x) => a + x, 0),
      )
      .subscribe(resolve);
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const {
  firsts: ours,
  seconds: theirs,
  ratios,
} = await interleaved(
  () => time(() => collect(pipeline, undefined, { iterations: N })),
  () => time(plainRx),
  pairs,
  3,
);
console.log(
  JSON.stringify({
    n: N,
    dispel4ts_ms: +median(ours).toFixed(1),
    rxjs_ms: +median(theirs).toFixed(1),
    ratio: +median(ratios).toFixed(3),
  }),
);
