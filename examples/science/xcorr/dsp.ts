/**
 * The signal processing of ambient-noise cross-correlation (Bensen et al., 2007): detrend,
 * taper and band-pass with seisplotjs; spectral whitening, decimation and cross-correlation
 * with fft.js.
 */
import FFT from 'fft.js';
import { BAND, DECIMATION, MAX_LAG, SAMPLE_RATE } from './network.js';
import { loadSeisplotjs } from './seisplotjs.js';

/** One FFT object per size (its twiddle tables are built once per thread). */
const ffts = new Map<number, FFT>();
function fftOf(size: number): FFT {
  let fft = ffts.get(size);
  if (!fft) ffts.set(size, (fft = new FFT(size)));
  return fft;
}

/** The full complex spectrum (interleaved re, im) of real `x` zero-padded to `size`. */
export function spectrum(x: ArrayLike<number>, size: number): Float64Array {
  const fft = fftOf(size);
  const input = new Float64Array(size);
  input.set(x.length > size ? Array.prototype.slice.call(x, 0, size) : x);
  const out = new Float64Array(2 * size);
  fft.realTransform(out, input);
  fft.completeSpectrum(out);
  return out;
}

/** The real part of the inverse transform of a full complex spectrum. */
export function inverseReal(spec: Float64Array): Float64Array {
  const size = spec.length / 2;
  const fft = fftOf(size);
  const out = new Float64Array(2 * size);
  fft.inverseTransform(out, spec);
  const real = new Float64Array(size);
  for (let i = 0; i < size; i++) real[i] = out[2 * i]!;
  return real;
}

/**
 * Removes the linear trend, applies a 5% Hann taper and a 4-pole Butterworth band-pass
 * over {@link BAND}, all with seisplotjs (which filters in Float32, as it stores samples).
 */
export async function detrendTaperBandpass(
  samples: Float64Array,
  startMs: number,
  sampleRate: number = SAMPLE_RATE,
): Promise<Float32Array> {
  const { filter, luxon, seismogram, seismogramsegment, taper } = await loadSeisplotjs();
  const start = luxon.DateTime.fromMillis(startMs, { zone: 'utc' });
  let trace = new seismogram.Seismogram([
    new seismogramsegment.SeismogramSegment(samples, sampleRate, start),
  ]);
  trace = filter.removeTrend(trace);
  trace = taper.taper(trace, 0.05, taper.HANNING);
  const bandpass = filter.createButterworth(4, filter.BAND_PASS, BAND[0], BAND[1], 1 / sampleRate);
  trace = filter.applyFilter(bandpass, trace);
  return Float32Array.from(trace.y);
}

/**
 * Spectral whitening: divides the spectrum by its running-mean amplitude (over
 * `2 * halfWidth + 1` bins) inside {@link BAND}, with cosine tapers `edge` Hz wide on each
 * side and zero outside, so every frequency of the band weighs the same in the correlation
 * and a strong narrow-band source cannot dominate it. The length must be a power of two.
 */
export function whiten(
  x: ArrayLike<number>,
  sampleRate: number = SAMPLE_RATE,
  halfWidth = 10,
  edge = 0.1,
): Float64Array {
  const n = x.length;
  const spec = spectrum(x, n);
  const half = n / 2;
  const amplitude = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) amplitude[k] = Math.hypot(spec[2 * k]!, spec[2 * k + 1]!);
  // Running mean by a prefix sum.
  const prefix = new Float64Array(half + 2);
  for (let k = 0; k <= half; k++) prefix[k + 1] = prefix[k]! + amplitude[k]!;
  const [low, high] = BAND;
  for (let k = 0; k <= half; k++) {
    const f = (k * sampleRate) / n;
    let weight = 0;
    if (f >= low && f <= high) weight = 1;
    else if (f > low - edge && f < low)
      weight = 0.5 * (1 - Math.cos((Math.PI * (f - low + edge)) / edge));
    else if (f > high && f < high + edge)
      weight = 0.5 * (1 + Math.cos((Math.PI * (f - high)) / edge));
    const from = Math.max(0, k - halfWidth);
    const to = Math.min(half, k + halfWidth);
    const mean = (prefix[to + 1]! - prefix[from]!) / (to - from + 1);
    const scale = weight > 0 && mean > 0 ? weight / mean : 0;
    spec[2 * k] = spec[2 * k]! * scale;
    spec[2 * k + 1] = spec[2 * k + 1]! * scale;
    if (k > 0 && k < half) {
      spec[2 * (n - k)] = spec[2 * k]!;
      spec[2 * (n - k) + 1] = -spec[2 * k + 1]!;
    }
  }
  return inverseReal(spec);
}

/** Every `factor`-th sample (the whitening has already removed what would alias). */
export function decimate(x: ArrayLike<number>, factor: number = DECIMATION): Float64Array {
  const out = new Float64Array(Math.floor(x.length / factor));
  for (let i = 0; i < out.length; i++) out[i] = x[i * factor]!;
  return out;
}

/** A trace ready to correlate: its spectrum, zero-padded so lags up to ±maxLag do not wrap. */
export interface Prepared {
  readonly spectrum: Float64Array;
  readonly energy: number;
}

/** The FFT size for correlating traces of `n` samples up to ±`maxLag`. */
export function correlationSize(n: number, maxLag: number = MAX_LAG): number {
  let size = 4;
  while (size < n + maxLag + 1) size *= 2;
  return size;
}

/** Prepares a trace for {@link crossCorrelate}. */
export function prepare(x: Float64Array, maxLag: number = MAX_LAG): Prepared {
  let energy = 0;
  for (let i = 0; i < x.length; i++) energy += x[i]! * x[i]!;
  return { spectrum: spectrum(x, correlationSize(x.length, maxLag)), energy };
}

/**
 * The normalised cross-correlation `C_ab(τ) = Σ a(t) b(t + τ) / sqrt(Σa² Σb²)` for
 * τ = -maxLag .. maxLag samples (index `τ + maxLag`), as the inverse FFT of `conj(A) B`.
 */
export function crossCorrelate(a: Prepared, b: Prepared, maxLag: number = MAX_LAG): Float64Array {
  const size = a.spectrum.length / 2;
  const cross = new Float64Array(2 * size);
  for (let k = 0; k < size; k++) {
    const ar = a.spectrum[2 * k]!;
    const ai = a.spectrum[2 * k + 1]!;
    const br = b.spectrum[2 * k]!;
    const bi = b.spectrum[2 * k + 1]!;
    cross[2 * k] = ar * br + ai * bi;
    cross[2 * k + 1] = ar * bi - ai * br;
  }
  const c = inverseReal(cross);
  const norm = Math.sqrt(a.energy * b.energy) || 1;
  const out = new Float64Array(2 * maxLag + 1);
  for (let lag = -maxLag; lag <= maxLag; lag++) out[lag + maxLag] = c[(lag + size) % size]! / norm;
  return out;
}

/** The index and value of the largest value (the first, if several). */
export function argmax(x: ArrayLike<number>): [index: number, value: number] {
  let index = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[index]!) index = i;
  return [index, x[index]!];
}
