/**
 * The measuring child: runs the configurations given as a JSON array in argv[2], in this
 * fresh process, and prints one `{"kind":"result", ...}` line per configuration (a
 * {@link Measurement}) with this process's peak resident memory so far (all its threads).
 * Started by the harness (bench/main.ts), not by hand.
 */
import { collect, type Backend } from '../src/index.js';
import { backends } from './backends.js';
import type { Results } from './BenchWorkload.js';
import type { Configuration, Measurement } from './Measurement.js';
import { sameAnswer } from './sameAnswer.js';
import { workloads } from './workloads/workloads.js';

const configs = JSON.parse(process.argv[2] ?? '[]') as Configuration[];
const isolated = configs.length === 1;
const made = new Map<string, Backend>();

/**
 * Unmeasured runs before the measured ones (the first's time is `cold_wall_s`). More than one:
 * a worker's code is optimised as it runs, and with k workers each sees 1/k of the items per
 * run — W3 on 2 workers still ran 20-40% slow on its second and third runs, on 1 worker not.
 */
const WARMUP_RUNS = 3;

/** A run whose answer is wrong: a failure, never a figure. */
class WrongAnswer extends Error {}

const rssMb = (): number => process.resourceUsage().maxRSS / 1024;

async function measure(config: Configuration): Promise<Measurement> {
  const base = { config, isolated, cold_wall_s: null, walls_s: [] as number[], cpus_s: [] };
  const workload = workloads.find((w) => w.id === config.workload);
  if (!workload) throw new Error(`unknown workload ${config.workload}`);
  const module = await workload.load();
  const expected = module.expected(config.n);
  let runOnce: () => Promise<Results>;
  let workers = 0;
  if (config.backend === 'loop' && workload.loop) {
    const loop = workload.loop;
    runOnce = () => Promise.resolve(loop(config.n));
  } else if (config.backend === 'rxjs' && workload.rxjs) {
    runOnce = workload.rxjs.bind(undefined, config.n);
  } else {
    const entry = backends.find((b) => b.name === config.backend);
    if (!entry) throw new Error(`no backend or baseline ${config.backend} for ${workload.id}`);
    workers = entry.workers(config.k);
    // Configurations sharing this process (--quick) share the backend for a k: warm workers.
    const key = `${entry.name}:${config.k}`;
    const backend = made.get(key) ?? (await entry.make(config.k));
    made.set(key, backend);
    const instances = Object.fromEntries(workload.parallel.map((pe) => [pe, config.k]));
    runOnce = () =>
      collect(module.workflow, backend, { iterations: config.n, instances }) as Promise<Results>;
  }
  // One timed run, its answer checked outside the timing; throws on a wrong answer.
  const cpus: number[] = [];
  const timed = async (): Promise<number> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const results = await runOnce();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1e6);
    const wrong = sameAnswer(results, expected) ?? workload.check?.(results, config.n);
    if (wrong) throw new WrongAnswer(wrong);
    return seconds;
  };
  try {
    let cold: number | null = null;
    if (config.warmup && workload.warmup !== false) {
      cold = await timed();
      for (let w = 1; w < WARMUP_RUNS; w++) await timed();
    }
    cpus.length = 0; // the warm-ups'
    const walls: number[] = [];
    for (let r = 0; r < config.repeat; r++) walls.push(await timed());
    return {
      ...base,
      workers,
      cold_wall_s: cold,
      walls_s: walls,
      cpus_s: cpus,
      answer_ok: true,
      peak_rss_mb: rssMb(),
    };
  } catch (error) {
    const message = error instanceof WrongAnswer ? `wrong answer: ${error.message}` : String(error);
    return { ...base, workers, answer_ok: false, error: message, peak_rss_mb: rssMb() };
  }
}

for (const config of configs) {
  let measurement: Measurement;
  try {
    measurement = await measure(config);
  } catch (error) {
    measurement = {
      config,
      isolated,
      workers: 0,
      walls_s: [],
      cpus_s: [],
      cold_wall_s: null,
      answer_ok: false,
      error: String(error),
      peak_rss_mb: rssMb(),
    };
  }
  process.stdout.write(`${JSON.stringify({ kind: 'result', ...measurement })}\n`);
}
// Backends that keep a job (MPI ranks, an embedded MQTT cluster) between runs end it here;
// idle worker threads would end by themselves.
await Promise.all(
  [...made.values()].map((backend) => {
    const close = (backend as { close?: () => Promise<void> }).close;
    return typeof close === 'function' ? close.call(backend).catch(() => undefined) : undefined;
  }),
);
process.exit(0);
