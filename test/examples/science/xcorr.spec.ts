import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../../src/index.js';
import { sequential } from '../../../backends/sequential/index.js';
import { threads } from '../../../backends/threads/index.js';
import { mpi } from '../../../backends/mpi/index.js';
import { mqtt } from '../../../backends/mqtt/index.js';
import { mpiUnavailable } from '../../helpers/mpiUnavailable.js';
import {
  argmax,
  crossCorrelate,
  decimate,
  prepare,
  whiten,
} from '../../../examples/science/xcorr/dsp.js';
import { readMiniSEED, writeMiniSEED } from '../../../examples/science/xcorr/miniseed.js';
import {
  DECIMATED_RATE,
  MAX_LAG,
  SAMPLE_RATE,
  STATIONS,
  WINDOW_SAMPLES,
  delaySamples,
  expectedLag,
  pairs,
} from '../../../examples/science/xcorr/network.js';
import { stationTrace } from '../../../examples/science/xcorr/synthetic.js';
import { expected, windowStart, xcorr } from '../../../examples/science/xcorr/xcorr.js';

// Runs of a few windows take seconds of CPU, longer on a loaded machine.
const SLOW = 180_000;
const mpiMissing = mpiUnavailable();
if (mpiMissing) console.warn(`xcorr on MPI skipped: ${mpiMissing}`);

let out: string;
beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'dispel4ts-xcorr-'));
  process.env['XCORR_OUT'] = out;
});
afterAll(() => {
  delete process.env['XCORR_OUT'];
  rmSync(out, { recursive: true, force: true });
});

describe('xcorr: the pieces', () => {
  it('round-trips a station trace through a miniSEED 3 file (seisplotjs)', async () => {
    const counts = stationTrace(STATIONS[2]!, 5);
    const path = join(out, 'roundtrip.ms3');
    await writeMiniSEED(path, STATIONS[2]!.code, windowStart(5), SAMPLE_RATE, counts);
    // 32 records of 1,024 INT32 samples, each with a 40-byte header and its identifier.
    expect(readFileSync(path).length).toBeGreaterThan(4 * WINDOW_SAMPLES);
    const trace = await readMiniSEED(path, 5);
    expect(trace).toMatchObject({
      station: 'XC.ST03',
      window: 5,
      startMs: windowStart(5),
      sampleRate: 40,
    });
    expect(trace.samples).toEqual(Float64Array.from(counts));
  });

  it('finds a known delay between two noise records by FFT cross-correlation', () => {
    let seed = 7;
    const noise = Float64Array.from({ length: 4096 + 64 }, () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32 - 0.5;
    });
    const a = noise.slice(32, 32 + 4096);
    const b = noise.slice(32 - 17, 32 - 17 + 4096); // b(t) = a(t - 17): b lags a by 17
    const cc = crossCorrelate(prepare(a, 50), prepare(b, 50), 50);
    const [index, value] = argmax(cc);
    expect(index - 50).toBe(17);
    expect(value).toBeGreaterThan(0.95);
  });

  it('whitens to a flat band and decimates to 10 Hz', () => {
    const x = Float64Array.from(
      { length: 4096 },
      (_, i) => Math.sin(i / 3) * 100 + Math.sin(i / 50),
    );
    const y = decimate(whiten(x));
    expect(y).toHaveLength(1024);
    expect(y.every(Number.isFinite)).toBe(true);
    expect(Math.max(...y.map(Math.abs))).toBeGreaterThan(0);
  });

  it('derives every pair’s expected lag from the station delays', () => {
    expect(pairs()).toHaveLength((STATIONS.length * (STATIONS.length - 1)) / 2);
    for (const [a, b] of pairs()) {
      expect(expectedLag(a, b) * DECIMATED_RATE).toBe(delaySamples(b) - delaySamples(a));
      expect(Math.abs(expectedLag(a, b))).toBeLessThan(MAX_LAG / DECIMATED_RATE);
    }
  });

  it('runs its heavy PEs in parallel and groups by window and by pair', () => {
    const { graph } = xcorr;
    const node = (name: string) => graph.nodes.find((n) => n.name === name);
    for (const name of ['Acquire', 'ReadMiniSEED', 'Preprocess', 'XCorr', 'Stack']) {
      expect(node(name)?.instances).toBe(2);
    }
    const grouping = (to: string) => graph.connections.find((c) => c.to.pe === to)?.grouping;
    expect(grouping('Window')).toMatchObject({ kind: 'groupByKey', key: ['window'] });
    expect(grouping('Stack')).toMatchObject({ kind: 'groupByKey', key: ['pair'] });
    expect(grouping('WriteStacks')?.kind).toBe('allToOne');
    expect(grouping('Plot')?.kind).toBe('allToOne');
  });
});

describe('xcorr: every pair’s stacked correlation peaks at the delay between its stations', () => {
  it(
    'on the sequential backend, over 3 windows, writing stacks, a summary and a plot',
    async () => {
      const results = await collect(xcorr, sequential(), { iterations: 3 });
      expect(results).toEqual(expected(3));
      expect(readdirSync(join(out, 'stacks'))).toHaveLength(pairs().length);
      const summary = JSON.parse(readFileSync(join(out, 'stacks.json'), 'utf8')) as {
        lag: number;
        expectedLag: number;
        peak: number;
      }[];
      expect(summary).toHaveLength(pairs().length);
      for (const pair of summary) {
        expect(pair.lag).toBe(pair.expectedLag);
        expect(pair.peak).toBeGreaterThan(0.05);
      }
      expect(readFileSync(join(out, 'xcorr.svg'), 'utf8')).toMatch(/^<svg[^>]*>/);
      expect(existsSync(join(out, 'mseed', 'XC.ST10.W0002.ms3'))).toBe(true);
    },
    SLOW,
  );

  it(
    'on 2 worker threads, over 3 windows, with the same answer',
    async () => {
      const backend = threads({ workers: 2, idleMs: 0 });
      expect(await collect(xcorr, backend, { iterations: 3 })).toEqual(expected(3));
    },
    SLOW,
  );

  it(
    'on 2 MQTT nodes (embedded broker), over 3 windows, with the same answer',
    async () => {
      const backend = mqtt({ nodes: 2, idleMs: 0 });
      expect(await collect(xcorr, backend, { iterations: 3 })).toEqual(expected(3));
    },
    SLOW,
  );

  it.skipIf(mpiMissing !== undefined)(
    `on 2 MPI ranks, over 3 windows, with the same answer${mpiMissing ? ` (skipped: ${mpiMissing})` : ''}`,
    async () => {
      const backend = mpi({ ranks: 2, idleMs: 0 });
      expect(await collect(xcorr, backend, { iterations: 3 })).toEqual(expected(3));
    },
    SLOW,
  );

  it(
    'while one window alone is too noisy for some pairs (the check can fail)',
    async () => {
      const results = await collect(xcorr, sequential(), { iterations: 1 });
      const [peaks] = results.WriteStacks;
      const [answer] = expected(1).WriteStacks;
      const wrong = peaks!.filter((p, i) => p.lag !== answer![i]!.lag);
      expect(wrong.length).toBeGreaterThan(0);
      expect(wrong.length).toBeLessThan(pairs().length / 2);
    },
    SLOW,
  );
});
