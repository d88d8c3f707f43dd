/**
 * What 2 cores of this machine give W3 at best: its plain loop over all N candidates in one
 * process, against each half of them (even and odd indices) in two processes at once — no
 * dispel4ts, no messages, no producer. Pair after pair (after warm-up in each process), it
 * reports the medians of one process's time and of the two halves' mean time (perfect
 * balance), and their ratio: the most any backend's W3 speedup at k = 2 can be here, at that
 * minute. (The two halves' slower one is reported too: the halves differ in cost.)
 *
 * Usage (nothing else running): npx tsx bench/ceiling.ts [N] [pairs]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { candidate, isPrime } from '../examples/workloads/isprime.js';
import { median } from './summarise.js';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === 'child') {
  // Counts the primes among candidates from, from + step, ... below to, when told to.
  const [from, to, step] = process.argv.slice(3).map(Number) as [number, number, number];
  for (let i = 0; i < 5000; i++) isPrime(candidate(i));
  process.stdout.write('ready\n');
  process.stdin.once('data', () => {
    const start = performance.now();
    let primes = 0;
    for (let i = from; i < to; i += step) if (isPrime(candidate(i))) primes++;
    process.stdout.write(`${JSON.stringify({ ms: performance.now() - start, primes })}\n`);
    process.exit(0);
  });
} else {
  const n = Number(process.argv[2] ?? 40_000);
  const pairs = Number(process.argv[3] ?? 12);

  /** Starts one child per part, lets them go together, and gives each one's time (ms). */
  const together = async (parts: readonly [number, number, number][]): Promise<number[]> => {
    const children: ChildProcess[] = parts.map((part) =>
      spawn(process.execPath, [...process.execArgv, self, 'child', ...part.map(String)], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const lines = children.map(
      (child) =>
        new Promise<string[]>((resolve) => {
          let text = '';
          child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
          child.once('exit', () => resolve(text.trim().split('\n')));
        }),
    );
    await Promise.all(
      children.map(
        (child) => new Promise<void>((resolve) => child.stdout!.once('data', () => resolve())),
      ),
    );
    for (const child of children) child.stdin!.write('go\n');
    return (await Promise.all(lines)).map(
      (out) => (JSON.parse(out[out.length - 1]!) as { ms: number }).ms,
    );
  };

  const ones: number[] = [];
  const means: number[] = [];
  const slowest: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    ones.push((await together([[0, n, 1]]))[0]!);
    const [a, b] = (await together([
      [0, n, 2],
      [1, n, 2],
    ])) as [number, number];
    means.push((a + b) / 2);
    slowest.push(Math.max(a, b));
  }
  const one = median(ones);
  console.log(
    JSON.stringify({
      n,
      pairs,
      one_ms: +one.toFixed(1),
      halves_mean_ms: +median(means).toFixed(1),
      halves_slower_ms: +median(slowest).toFixed(1),
      ceiling: +(one / median(means)).toFixed(3),
      ceiling_uneven: +(one / median(slowest)).toFixed(3),
    }),
  );
}
