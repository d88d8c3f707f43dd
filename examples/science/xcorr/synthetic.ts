/**
 * Deterministic synthetic station traces: one common noise wave arriving at each station
 * with its known delay, plus the station's own local noise, instrument gain, DC offset and
 * linear drift, digitised to integer counts as a real datalogger records them.
 */
import {
  DECIMATION,
  LOCAL_NOISE,
  MAX_LAG,
  STATIONS,
  WINDOW_SAMPLES,
  delaySamples,
  type Station,
} from './network.js';

/** mulberry32: a small, fast, seedable 32-bit PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` standard normal samples from `seed` (Box–Muller). */
function gaussian(seed: number, n: number): Float64Array {
  const uniform = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - uniform()));
    const phi = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(phi);
    if (i + 1 < n) out[i + 1] = r * Math.sin(phi);
  }
  return out;
}

/** Margin of the common noise on each side, raw samples: covers every station's delay. */
const MARGIN = MAX_LAG * DECIMATION;

/**
 * The common noise wave of a window: red noise (an AR(1) process, as ocean microseisms
 * dominate the low frequencies), with {@link MARGIN} extra samples on each side.
 */
export function commonNoise(window: number): Float64Array {
  const x = gaussian(0x9e3779b1 ^ Math.imul(window + 1, 0x85ebca6b), WINDOW_SAMPLES + 2 * MARGIN);
  for (let i = 1; i < x.length; i++) x[i] = 0.9 * x[i - 1]! + x[i]!;
  return x;
}

/**
 * The raw trace (integer counts) that `station` records in `window`: the common noise
 * delayed by the station's delay, plus local noise ({@link LOCAL_NOISE} times as strong),
 * times the gain, plus offset and drift. `common` is the window's {@link commonNoise}
 * (pass it to make several stations' traces of one window without regenerating it).
 */
export function stationTrace(
  station: Station,
  window: number,
  common: Float64Array = commonNoise(window),
): Int32Array {
  const index = STATIONS.indexOf(station);
  const local = gaussian(
    Math.imul(window + 1, 7919) ^ Math.imul(index + 1, 104_729),
    WINDOW_SAMPLES,
  );
  const shift = MARGIN - delaySamples(station) * DECIMATION;
  const out = new Int32Array(WINDOW_SAMPLES);
  for (let j = 0; j < WINDOW_SAMPLES; j++) {
    const ground = common[j + shift]! + LOCAL_NOISE * local[j]!;
    out[j] = Math.round(station.gain * ground + station.offset + station.driftPerSample * j);
  }
  return out;
}
