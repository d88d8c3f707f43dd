/**
 * Times the cross-correlation workflow on `sequential()` and on `threads({ workers: 2 })`:
 *
 * ```sh
 * flock /tmp/dispel4ts-bench.lock npx tsx examples/science/xcorr/bench.ts [windows] [rounds]
 * ```
 *
 * Both backends are warmed up first (a 2-window run each: worker start-up, module loading,
 * JIT), then timed alternately, `rounds` times each (default 3) over `windows` windows
 * (default 32), so a burst of load from other processes hits both alike. Prints each run's
 * wall time and the CPU time its threads used (from /proc, on Linux), and the speed-up as the
 * ratio of the best and of the median times. Every run's answer is checked.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { collect, type Backend } from '../../../src/index.js';
import { sequential } from '../../../backends/sequential/index.js';
import { threads } from '../../../backends/threads/index.js';
import { expected, xcorr } from './xcorr.js';

/** CPU seconds used so far by each thread of this process (empty where /proc is missing). */
function threadCpu(): Map<string, number> {
  const cpu = new Map<string, number>();
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu.set(task, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, ticks
    }
  } catch {
    // not Linux: wall times only
  }
  return cpu;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

async function main([windowsArg = '32', roundsArg = '3']: string[]): Promise<number> {
  const windows = Number(windowsArg);
  const rounds = Number(roundsArg);
  const backends: [string, Backend][] = [
    ['sequential', sequential()],
    ['threads(2)', threads({ workers: 2, idleMs: 600_000 })],
  ];
  for (const [, backend] of backends) await collect(xcorr, backend, { iterations: 2 });
  const answer = expected(windows);
  const times = new Map<string, number[]>(backends.map(([name]) => [name, []]));
  let wrong = 0;
  for (let round = 0; round < rounds; round++) {
    for (const [name, backend] of backends) {
      const before = threadCpu();
      const started = performance.now();
      const results = await collect(xcorr, backend, { iterations: windows });
      const seconds = (performance.now() - started) / 1000;
      const after = threadCpu();
      if (!isDeepStrictEqual(results, answer)) wrong++;
      times.get(name)!.push(seconds);
      const busy = [...after]
        .map(([task, cpu]) => cpu - (before.get(task) ?? 0))
        .filter((cpu) => cpu >= 0.1)
        .sort((a, b) => b - a)
        .map((cpu) => cpu.toFixed(1));
      console.log(
        `${name.padEnd(10)} ${windows} windows: ${seconds.toFixed(2)} s wall; CPU s of busy threads: ${busy.join(', ') || '-'}`,
      );
    }
  }
  const seq = times.get('sequential')!;
  const thr = times.get('threads(2)')!;
  console.log(
    `speed-up of threads(2) over sequential: best ${(Math.min(...seq) / Math.min(...thr)).toFixed(2)}x, median ${(median(seq) / median(thr)).toFixed(2)}x`,
  );
  console.log(wrong === 0 ? 'answers: all as expected' : `answers: ${wrong} runs wrong`);
  return wrong === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
process.exit();
