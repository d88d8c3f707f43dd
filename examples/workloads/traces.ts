/**
 * W5 `traces` (shared/bench/WORKLOADS.md): data-intensive payloads.
 *
 * `Traces` emits M traces (M = iterations), each `{ t, samples }` with `samples` a
 * Float64Array of 8,192 samples (64 KiB): sample `j` of trace `t` is
 * `((t * 8192 + j) * 2654435761 mod 2^32) / 2^32 - 0.5`. `Normalise` subtracts the trace's
 * mean and divides by its (population) standard deviation, in place. `Peak`, two instances
 * fed round robin, emits `[t, index of max |x|, max |x|]`. `Collect`, fed all-to-one, emits
 * `{ peakSum, count }`: the sum of the peak values and the number of traces.
 *
 * The answer is computed by a plain loop over the same traces ({@link expected}); runs agree
 * with it to 1e-9 relative (the order of the sum across instances is not defined).
 */
import { map, reduce } from 'rxjs';
import { pe, producer, workflow } from '../../src/index.js';
import { allToOne, shuffle } from '../../operators/index.js';

/** Samples per trace. */
export const SAMPLES = 8192;

/** One trace: its number and its samples. */
export interface Trace {
  readonly t: number;
  readonly samples: Float64Array;
}

/** A trace's peak: `[t, index of max |x|, max |x|]`. */
export type Peak = readonly [t: number, index: number, value: number];

/** What `Collect` emits. */
export interface Summary {
  readonly peakSum: number;
  readonly count: number;
}

/** The samples of trace `t` (the multiplication is exact modulo 2^32, as `Math.imul` gives it). */
export function samples(t: number): Float64Array {
  const out = new Float64Array(SAMPLES);
  const base = t * SAMPLES;
  for (let j = 0; j < SAMPLES; j++)
    out[j] = (Math.imul(base + j, 2654435761) >>> 0) / 4294967296 - 0.5;
  return out;
}

/** Subtracts the mean and divides by the population standard deviation, in place. */
export function normalise(x: Float64Array): Float64Array {
  const n = x.length;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += x[j]!;
  const mean = sum / n;
  let squares = 0;
  for (let j = 0; j < n; j++) {
    const d = x[j]! - mean;
    squares += d * d;
  }
  const std = Math.sqrt(squares / n);
  for (let j = 0; j < n; j++) x[j] = (x[j]! - mean) / std;
  return x;
}

/** The index and value of the largest |x| (the first, if several). */
export function peak(x: Float64Array): [index: number, value: number] {
  let index = 0;
  let max = -1;
  for (let j = 0; j < x.length; j++) {
    const a = Math.abs(x[j]!);
    if (a > max) {
      max = a;
      index = j;
    }
  }
  return [index, max];
}

const Traces = producer('Traces', (t): Trace => ({ t, samples: samples(t) }));
// The item is this PE's own (a tee would have copied it), so normalising in place is safe.
const Normalise = pe(
  'Normalise',
  map((trace: Trace): Trace => {
    normalise(trace.samples);
    return trace;
  }),
);
const Peak = pe(
  'Peak',
  map(({ t, samples: x }: Trace): Peak => {
    const [index, value] = peak(x);
    return [t, index, value];
  }),
  { instances: 2 },
);
const Collect = pe(
  'Collect',
  reduce(
    (summary: Summary, [, , value]: Peak): Summary => ({
      peakSum: summary.peakSum + value,
      count: summary.count + 1,
    }),
    { peakSum: 0, count: 0 },
  ),
);

/** The workflow: `Traces -> Normalise -> Peak (x2, shuffle) -> Collect (all-to-one)`. */
export const traces = workflow('traces', () =>
  Traces().pipe(Normalise, shuffle(), Peak, allToOne(), Collect),
);

/** The answer for M = `iterations`, by a plain loop over the same traces. */
export function expected(iterations: number): { Collect: Summary[] } {
  let peakSum = 0;
  for (let t = 0; t < iterations; t++) peakSum += peak(normalise(samples(t)))[1];
  return { Collect: [{ peakSum, count: iterations }] };
}
