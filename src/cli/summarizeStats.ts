import type { InstanceStats } from '../runtime/protocol.js';

/** The timing of one PE over all its instances (the rows of `--timing`). */
export interface PETiming {
  readonly pe: string;
  readonly instances: number;
  readonly itemsIn: number;
  readonly itemsOut: number;
  /** Busy time summed over instances, ms (estimated from sampled items). */
  readonly busyMs: number;
  /** Items handled per second of the run's wall time (items in; items out for producers). */
  readonly itemsPerSecond: number;
  /** Mean time per item, ms. */
  readonly meanMs: number;
  /** 95th percentile of the sampled per-item times, ms. */
  readonly p95Ms: number;
}

/**
 * Sums per-instance counters into one row per PE, in graph order (`order`), for a run that
 * took `wallMs`.
 */
export function summarizeStats(
  stats: readonly InstanceStats[],
  order: readonly string[],
  wallMs: number,
): PETiming[] {
  const byPE = new Map<string, InstanceStats[]>();
  for (const s of stats) byPE.set(s.pe, [...(byPE.get(s.pe) ?? []), s]);
  const names = [
    ...order.filter((pe) => byPE.has(pe)),
    ...[...byPE.keys()].filter((pe) => !order.includes(pe)),
  ];
  return names.map((pe) => {
    const instances = byPE.get(pe)!;
    const sum = (f: (s: InstanceStats) => number): number =>
      instances.reduce((a, s) => a + f(s), 0);
    const itemsIn = sum((s) => s.itemsIn);
    const itemsOut = sum((s) => s.itemsOut);
    const busyMs = sum((s) => s.busyMs);
    const items = itemsIn > 0 ? itemsIn : itemsOut;
    const samples = instances.flatMap((s) => s.sampleMs ?? []).sort((a, b) => a - b);
    return {
      pe,
      instances: instances.length,
      itemsIn,
      itemsOut,
      busyMs,
      itemsPerSecond: wallMs > 0 ? (items * 1000) / wallMs : 0,
      meanMs: items > 0 ? busyMs / items : 0,
      p95Ms:
        samples.length > 0
          ? samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.95) - 1)]!
          : 0,
    };
  });
}
