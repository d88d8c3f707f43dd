/**
 * Runs the sentiment workflow and checks its answer against a plain loop over the corpus:
 *
 * ```sh
 * npx tsx examples/science/sentiment/run.ts                  # 100,000 articles, sequential
 * npx tsx examples/science/sentiment/run.ts 200000 threads   # 2 worker threads
 * ```
 *
 * Prints the happiest and saddest places; exits with 1 if the ranking differs.
 */
import { isDeepStrictEqual } from 'node:util';
import { collect, type Backend } from '../../../src/index.js';
import { sequential } from '../../../backends/sequential/index.js';
import { threads } from '../../../backends/threads/index.js';
import { expected, sentiment, TOP_K, type RunningMean } from './sentiment.js';

async function main([
  articlesArg = '100000',
  backendArg = 'sequential',
  workersArg = '2',
]: string[]) {
  const articles = Number(articlesArg);
  const backend: Backend =
    backendArg === 'threads' ? threads({ workers: Number(workersArg) }) : sequential();
  const started = performance.now();
  const results = await collect(sentiment, backend, { iterations: articles });
  const seconds = (performance.now() - started) / 1000;
  const show = (title: string, list: readonly RunningMean[]) => {
    console.log(title);
    for (const [place, mean, n] of list) {
      console.log(`  ${place.padEnd(12)} ${mean.toFixed(3).padStart(7)}  (${n} articles)`);
    }
  };
  const [ranking] = results.TopPlaces;
  if (ranking) {
    show(`the ${TOP_K} happiest places (mean AFINN score per article):`, ranking.happiest);
    show(`the ${TOP_K} saddest places:`, ranking.saddest);
  }
  console.log(
    `${sentiment.name} on ${backend.name}: ${articles} articles in ${seconds.toFixed(2)} s`,
  );
  const same = isDeepStrictEqual(results, expected(articles));
  console.log(
    same
      ? 'answer: as the plain loop over the corpus gives it'
      : 'answer: differs from the plain loop',
  );
  return same ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
