/**
 * The benchmark harness: `npm run bench -- [--workload W1,W3] [--backend sequential,threads]
 * [--k 1,2] [--n N] [--repeat R] [--json FILE] [--out DIR] [--quick]`.
 *
 * Runs each selected workload (shared/bench/WORKLOADS.md) as a plain loop, in plain RxJS and
 * on every selected, available backend at every `k`, each configuration in a fresh child
 * process (bench/child.ts) so runs are independent and peak memory is the configuration's
 * own; checks every answer; writes the records as JSON, a Markdown report and SVG charts.
 * Exits with 1 if any configuration failed or answered wrong.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { backends } from './backends.js';
import type { BenchBackend } from './BenchBackend.js';
import { scalingChart, throughputChart } from './charts.js';
import { headlines } from './headlines.js';
import type { Configuration, Measurement } from './Measurement.js';
import { parseOptions } from './parseOptions.js';
import { poolProcesses } from './poolProcesses.js';
import { report } from './report.js';
import { runChild } from './runChild.js';
import { summarise } from './summarise.js';
import { workloads } from './workloads/workloads.js';

const argv = process.argv.slice(2);
const options = parseOptions(argv);
const started = new Date();
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loadStart = load();
/** The commit measured, and whether the code differed from it (results files aside). */
function commit(): string {
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const rev = git('rev-parse', '--short', 'HEAD');
    const dirty = git(
      'status',
      '--porcelain',
      '--untracked-files=no',
      '--',
      '.',
      ':!bench/results',
    );
    return dirty ? `${rev} + local changes` : rev;
  } catch {
    return 'unknown';
  }
}
const measuredCommit = commit();

function pick<T extends { readonly name?: string; readonly id?: string }>(
  all: readonly T[],
  wanted: readonly string[] | undefined,
  what: string,
): T[] {
  if (!wanted) return [...all];
  return wanted.map((name) => {
    const found = all.find((x) => (x.id ?? x.name)?.toLowerCase() === name.toLowerCase());
    if (!found) {
      const known = all.map((x) => x.id ?? x.name).join(', ');
      console.error(`unknown ${what} ${name}; known: ${known}`);
      process.exit(2);
    }
    return found;
  });
}

const selectedWorkloads = pick(workloads, options.workloads, 'workload');
const skipped: string[] = [];
const selectedBackends: BenchBackend[] = [];
for (const backend of pick(backends, options.backends, 'backend')) {
  const reason = await backend.available();
  if (reason) {
    skipped.push(`${backend.name}: ${reason}`);
    console.error(`skipping ${backend.name}: ${reason}`);
  } else selectedBackends.push(backend);
}

// The configurations, workload by workload: baselines first, then each backend at each k.
const configs: Configuration[] = [];
for (const w of selectedWorkloads) {
  const n = options.n ?? (options.quick ? w.quickN : w.defaultN);
  const repeat = w.repeat ?? options.repeat;
  const warmup = !options.quick;
  if (!w.backends) {
    if (w.loop) configs.push({ workload: w.id, backend: 'loop', k: 1, n, repeat, warmup });
    if (w.rxjs) configs.push({ workload: w.id, backend: 'rxjs', k: 1, n, repeat, warmup });
  }
  for (const b of selectedBackends) {
    if (w.backends && !w.backends.includes(b.name)) continue;
    // k that changes nothing (no parallel PE, no workers) is run once.
    const inert = w.parallel.length === 0 && b.workers(1) === b.workers(2);
    // Quick mode keeps backends that start processes (ranks, nodes) to their largest k.
    const light = options.quick && b.processes ? [Math.max(...options.ks)] : options.ks;
    const ks = w.ks ?? (inert ? light.slice(0, 1) : light);
    for (const k of ks) configs.push({ workload: w.id, backend: b.name, k, n, repeat, warmup });
  }
}

// Full runs: one fresh process per configuration. Quick: one shared process per backend.
const groups: Configuration[][] = [];
if (options.quick) {
  const byBackend = new Map<string, Configuration[]>();
  for (const c of configs) byBackend.set(c.backend, [...(byBackend.get(c.backend) ?? []), c]);
  groups.push(...byBackend.values());
} else groups.push(...configs.map((c) => [c]));
const measurements: Measurement[] = [];
const rate = (m: Measurement): string => {
  if (!m.answer_ok) return `FAILED: ${m.error}`;
  const sorted = [...m.walls_s].sort((a, b) => a - b);
  const wall = sorted[sorted.length >> 1]!;
  return `${wall.toFixed(3)} s, ${(m.config.n / wall / 1e6).toFixed(2)} M items/s, ${m.peak_rss_mb.toFixed(0)} MB`;
};
// With --processes P, P passes over every configuration: one configuration's processes run
// minutes apart, so neither a slow minute nor one process's luck decides its figure.
for (let pass = 1; pass <= options.processes; pass++) {
  const of = options.processes > 1 ? ` (process ${pass} of ${options.processes})` : '';
  for (const group of groups) {
    const backend = backends.find((b) => b.name === group[0]!.backend);
    const results = await runChild(group, backend, options.timeoutS * 1000);
    for (const m of results) {
      const c = m.config;
      console.error(`${c.workload} ${c.backend} k=${c.k} n=${c.n}${of}: ${rate(m)}`);
      measurements.push(m);
    }
  }
}
// Report order: as planned, whatever the grouping.
const order = new Map(configs.map((c, i) => [JSON.stringify(c), i]));
const pooled = poolProcesses(measurements).sort(
  (a, b) => order.get(JSON.stringify(a.config))! - order.get(JSON.stringify(b.config))!,
);

const records = summarise(pooled, workloads);

const cpu = cpus();
const machine = `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;

await mkdir(options.out, { recursive: true });
const json = `${JSON.stringify(records, null, 2)}\n`;
await writeFile(join(options.out, 'results.json'), json);
if (options.json) await writeFile(options.json, json);
const info = {
  started: started.toISOString(),
  command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
  machine,
  loadStart,
  loadEnd: load(),
  commit: measuredCommit,
  skipped,
  options,
};
await writeFile(join(options.out, 'report.md'), report(records, info));
await writeFile(join(options.out, 'throughput.svg'), await throughputChart(records));
await writeFile(join(options.out, 'w3-scaling.svg'), await scalingChart(records));

for (const h of headlines(records)) {
  const met = h.met === undefined ? 'not run' : h.met ? 'met' : 'MISSED';
  console.error(`${h.check}: ${h.figure} (floor ${h.floor}: ${met})`);
}
console.error(`report: ${join(options.out, 'report.md')}`);
process.exitCode = records.every((r) => r.answer_ok) ? 0 : 1;
