import type { Measurement } from './Measurement.js';

/**
 * One measurement per configuration from the measurements of several processes (`--processes`):
 * their runs pooled (the median is then over every run of every process, so one process's
 * luck — on this machine a process can stay 30-50% slower at W5 than the next — weighs 1/P),
 * the warm-up of the first, the highest peak memory, and the first failure, which fails the
 * configuration. Configurations keep the order in which they first appear.
 */
export function poolProcesses(measurements: readonly Measurement[]): Measurement[] {
  const pooled = new Map<string, Measurement>();
  for (const m of measurements) {
    const key = JSON.stringify(m.config);
    const seen = pooled.get(key);
    if (!seen) {
      pooled.set(key, { ...m, processes: m.processes ?? 1 });
      continue;
    }
    const answerOk = seen.answer_ok && m.answer_ok;
    const error = seen.error ?? m.error;
    pooled.set(key, {
      ...seen,
      walls_s: answerOk ? [...seen.walls_s, ...m.walls_s] : [],
      cpus_s: answerOk ? [...seen.cpus_s, ...m.cpus_s] : [],
      answer_ok: answerOk,
      peak_rss_mb: Math.max(seen.peak_rss_mb, m.peak_rss_mb),
      isolated: seen.isolated && m.isolated,
      processes: (seen.processes ?? 1) + (m.processes ?? 1),
      ...(error !== undefined && { error }),
    });
  }
  return [...pooled.values()];
}
