/**
 * Runs the cross-correlation workflow and checks its answer:
 *
 * ```sh
 * npx tsx examples/science/xcorr/run.ts                      # 12 windows, sequential
 * npx tsx examples/science/xcorr/run.ts 24 threads           # 24 windows, 2 worker threads
 * XCORR_OUT=/tmp/xc npx tsx examples/science/xcorr/run.ts 4  # write files elsewhere
 * ```
 *
 * Prints every pair's stacked peak lag beside the delay from the network's geometry, where
 * the files went, and the time; exits with 1 if any pair's peak is off.
 */
import { isDeepStrictEqual } from 'node:util';
import { collect, type Backend } from '../../../src/index.js';
import { sequential } from '../../../backends/sequential/index.js';
import { threads } from '../../../backends/threads/index.js';
import { expected, outputDir, xcorr, type Peak } from './xcorr.js';

async function main([windowsArg = '12', backendArg = 'sequential', workersArg = '2']: string[]) {
  const windows = Number(windowsArg);
  const backend: Backend =
    backendArg === 'threads' ? threads({ workers: Number(workersArg) }) : sequential();
  const started = performance.now();
  const { WriteStacks, Plot } = await collect(xcorr, backend, { iterations: windows });
  const seconds = (performance.now() - started) / 1000;
  const peaks: readonly Peak[] = WriteStacks[0] ?? [];
  const answer = expected(windows).WriteStacks[0]!;
  let wrong = isDeepStrictEqual(Plot, expected(windows).Plot) ? 0 : 1;
  console.log('pair                 peak lag (s)   expected (s)   windows');
  answer.forEach((want, i) => {
    const got = peaks[i];
    const ok = got?.pair === want.pair && got.lag === want.lag && got.windows === want.windows;
    if (!ok) wrong++;
    console.log(
      `${want.pair.padEnd(20)} ${String(got?.lag ?? '-').padStart(12)}   ${String(want.lag).padStart(12)}   ${String(got?.windows ?? '-').padStart(7)}${ok ? '' : '   <- wrong'}`,
    );
  });
  console.log(`\nstacks, summary and plot: ${outputDir()}/{stacks/,stacks.json,xcorr.svg}`);
  console.log(`${xcorr.name} on ${backend.name}: ${windows} windows in ${seconds.toFixed(2)} s`);
  console.log(
    wrong === 0
      ? `answer: every one of the ${answer.length} pairs peaks at the delay from the geometry`
      : `answer: ${wrong} wrong (pairs peaking elsewhere, or the plot's pairs)`,
  );
  return wrong === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
