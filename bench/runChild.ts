import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchBackend } from './BenchBackend.js';
import type { Configuration, Measurement } from './Measurement.js';
import { treeRssMb } from './treeRss.js';

const childScript = fileURLToPath(new URL('./child.ts', import.meta.url));

/** How often the process tree's resident memory is sampled (backends with `processes`). */
const SAMPLE_MS = 250;

/**
 * Measures `configs` in one fresh child process (bench/child.ts), started through the
 * backend's `wrap` when it has one, and returns one {@link Measurement} per configuration.
 *
 * Peak memory is the larger of what the child reports (`process.resourceUsage().maxRSS`: the
 * exact peak of its own process, all threads included), plus any `{"kind":"rss"}` lines other
 * processes print, and, for a backend that starts `processes`, the peak of the whole process
 * tree's resident memory sampled every 250 ms (mpirun and its ranks, MQTT nodes). A child that crashes, or
 * outlives `timeoutMs`, fails every configuration it did not report.
 */
export async function runChild(
  configs: readonly Configuration[],
  backend: BenchBackend | undefined,
  timeoutMs: number,
): Promise<Measurement[]> {
  const plain = [process.execPath, '--import', 'tsx', childScript, JSON.stringify(configs)];
  const k = configs[0]?.k ?? 1;
  const [command, ...args] = backend?.wrap?.(plain, k) ?? plain;
  const child = spawn(command!, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let sampledPeak = 0;
  let sampling = false;
  const sampler = setInterval(() => {
    if (!backend?.processes || sampling || child.pid === undefined) return;
    sampling = true;
    void treeRssMb(child.pid).then((mb) => {
      sampledPeak = Math.max(sampledPeak, mb);
      sampling = false;
    });
  }, SAMPLE_MS);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); // the whole group
  }, timeoutMs);
  const exit = await new Promise<string>((resolve) => {
    child.on('error', (error) => resolve(`could not start: ${error.message}`));
    child.on('close', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  clearTimeout(timer);
  clearInterval(sampler);

  const lines = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { kind?: string; mb?: number } & Measurement);
  const extraRss = lines
    .filter((line) => line.kind === 'rss')
    .reduce((sum, line) => sum + (line.mb ?? 0), 0);
  const results = lines.filter((line) => line.kind === 'result');
  return configs.map((config, i): Measurement => {
    const found = results[i];
    if (found) {
      // The line as a Measurement, without its `kind` tag.
      const measurement = Object.fromEntries(
        Object.entries(found).filter(([key]) => key !== 'kind'),
      ) as unknown as Measurement;
      return {
        ...measurement,
        peak_rss_mb: Math.max(measurement.peak_rss_mb + extraRss, sampledPeak),
      };
    }
    const why = timedOut ? `timed out after ${timeoutMs / 1000} s` : `child ended (${exit})`;
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    return {
      config,
      isolated: configs.length === 1,
      workers: backend?.workers(config.k) ?? 0,
      walls_s: [],
      cpus_s: [],
      cold_wall_s: null,
      answer_ok: false,
      error: tail ? `${why}: ${tail}` : why,
      peak_rss_mb: sampledPeak,
    };
  });
}
