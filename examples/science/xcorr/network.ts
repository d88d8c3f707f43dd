/**
 * The synthetic seismic network of the cross-correlation example: its stations, the noise
 * field that reaches them, and the processing parameters, all fixed so every run (and every
 * backend) sees the same data.
 *
 * The ambient noise is a plane wave from one direction (as when ocean microseisms dominate),
 * crossing the network at {@link WAVE_SPEED_KM_S}; a station at position `r` receives it
 * `(r · direction) / speed` seconds after the network's origin does. Delays are rounded to
 * whole samples of the decimated traces ({@link DECIMATED_RATE}), so the true inter-station
 * delay is exactly representable and the correlation peak of a pair must land on it.
 */

/** One station of the network. */
export interface Station {
  /** SEED network and station code, `NET.STA`. */
  readonly code: string;
  /** Position east and north of the network's origin, km. */
  readonly eastKm: number;
  readonly northKm: number;
  /** Instrument gain (counts per unit ground motion) and DC offset and drift of its digitiser. */
  readonly gain: number;
  readonly offset: number;
  readonly driftPerSample: number;
}

/** Raw sample rate of the stations' channels, Hz (a broadband `BHZ` channel). */
export const SAMPLE_RATE = 40;
/** Samples per time window (819.2 s at 40 Hz): a power of two, for the FFTs. */
export const WINDOW_SAMPLES = 32_768;
/** Decimation factor applied after whitening: 40 Hz to 10 Hz. */
export const DECIMATION = 4;
/** Sample rate after decimation, Hz. */
export const DECIMATED_RATE = SAMPLE_RATE / DECIMATION;
/** Band kept by the band-pass and the whitening, Hz (the secondary microseism band and above). */
export const BAND: readonly [low: number, high: number] = [0.2, 2.0];
/** Largest lag kept in a correlation, s. */
export const MAX_LAG_S = 30;
/** Largest lag kept in a correlation, in decimated samples. */
export const MAX_LAG = MAX_LAG_S * DECIMATED_RATE;
/** Start of window 0 (ms since the epoch): 2024-01-01T00:00:00Z. */
export const EPOCH_MS = Date.UTC(2024, 0, 1);
/** Apparent speed of the noise wave across the network, km/s (a Rayleigh wave). */
export const WAVE_SPEED_KM_S = 3;
/** Direction the noise travels to, as a unit vector (east, north): from the south-west. */
export const WAVE_DIRECTION: readonly [east: number, north: number] = [Math.SQRT1_2, Math.SQRT1_2];
/** Standard deviation of each station's local noise, relative to the common noise (1). */
export const LOCAL_NOISE = 15;

/** The network: ten stations over about 60 km by 55 km. */
export const STATIONS: readonly Station[] = [
  { code: 'XC.ST01', eastKm: 0, northKm: 0, gain: 1000, offset: 1200, driftPerSample: 0.01 },
  { code: 'XC.ST02', eastKm: 12, northKm: 3, gain: 800, offset: -300, driftPerSample: -0.02 },
  { code: 'XC.ST03', eastKm: 25, northKm: -4, gain: 1200, offset: 50, driftPerSample: 0.005 },
  { code: 'XC.ST04', eastKm: -8, northKm: 15, gain: 950, offset: 900, driftPerSample: 0 },
  { code: 'XC.ST05', eastKm: 5, northKm: 28, gain: 1100, offset: -1500, driftPerSample: 0.03 },
  { code: 'XC.ST06', eastKm: -20, northKm: -10, gain: 1000, offset: 0, driftPerSample: -0.01 },
  { code: 'XC.ST07', eastKm: 30, northKm: 20, gain: 700, offset: 400, driftPerSample: 0.015 },
  { code: 'XC.ST08', eastKm: -15, northKm: 35, gain: 1050, offset: -800, driftPerSample: -0.005 },
  { code: 'XC.ST09', eastKm: 18, northKm: -18, gain: 900, offset: 250, driftPerSample: 0.02 },
  { code: 'XC.ST10', eastKm: 40, northKm: 5, gain: 1150, offset: -600, driftPerSample: -0.015 },
];

/** The delay of the noise wave at a station, in decimated samples (rounded to a whole one). */
export function delaySamples(station: Station): number {
  const [e, n] = WAVE_DIRECTION;
  const seconds = (station.eastKm * e + station.northKm * n) / WAVE_SPEED_KM_S;
  return Math.round(seconds * DECIMATED_RATE);
}

/** A station pair, `"A:B"` with A before B in network order. */
export type Pair = `${string}:${string}`;

/** Every station pair, in network order: `[a, b, "a:b"]`. */
export function pairs(
  stations: readonly Station[] = STATIONS,
): [a: Station, b: Station, pair: Pair][] {
  const out: [Station, Station, Pair][] = [];
  for (let i = 0; i < stations.length; i++) {
    for (let j = i + 1; j < stations.length; j++) {
      out.push([stations[i]!, stations[j]!, `${stations[i]!.code}:${stations[j]!.code}`]);
    }
  }
  return out;
}

/**
 * The lag (s) at which the correlation of pair `a:b` must peak: `delay(b) - delay(a)`, since
 * `C_ab(τ) = Σ a(t) b(t + τ)` and b receives the wave `delay(b) - delay(a)` after a.
 */
export function expectedLag(a: Station, b: Station): number {
  return (delaySamples(b) - delaySamples(a)) / DECIMATED_RATE;
}

/** The station with this code. */
export function station(code: string): Station {
  const found = STATIONS.find((s) => s.code === code);
  if (!found) throw new RangeError(`no station "${code}" in the network`);
  return found;
}
