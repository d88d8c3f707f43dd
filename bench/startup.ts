/**
 * Start-up of the `dispel4ts` command (issue #3: a 10-item run under 0.5 s): wall time of
 * `dispel4ts run examples/workloads/pipeline.ts -i 10`, compiled (what users get) and from
 * source (DISPEL4TS_FROM_SOURCE=1), against `node -e 0` in the same run. Two unmeasured runs
 * each first (caches warm), then the runs interleaved so load drifts hit all three alike.
 *
 *   npm run bench:startup [-- RUNS]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const command = ['bin/dispel4ts.mjs', 'run', 'examples/workloads/pipeline.ts', '-i', '10'];
const cases: { name: string; args: string[]; env: Record<string, string> }[] = [
  { name: 'dispel4ts run, 10 items (compiled)', args: command, env: {} },
  {
    name: 'dispel4ts run, 10 items (from source)',
    args: command,
    env: { DISPEL4TS_FROM_SOURCE: '1' },
  },
  { name: 'node -e 0', args: ['-e', '0'], env: {} },
];

function once(args: readonly string[], env: Record<string, string>): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`${args.join(' ')} failed: ${run.stderr}`);
  return seconds;
}

const times = cases.map(() => [] as number[]);
for (let r = -2; r < runs; r++) {
  cases.forEach((c, i) => {
    const seconds = once(c.args, c.env);
    if (r >= 0) times[i]!.push(seconds);
  });
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`| command | median s | min–max s |\n| --- | ---: | ---: |`);
cases.forEach((c, i) => {
  const xs = times[i]!;
  console.log(
    `| ${c.name} | ${median(xs).toFixed(3)} | ${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)} |`,
  );
});
