/**
 * The last stages of the cross-correlation workflow: writing every pair's stacked
 * correlation (one CSV per pair and a JSON summary), and an SVG plot of a few stacks, drawn
 * with Vega-Lite and rendered to SVG by Vega without a browser.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argmax } from './dsp.js';
import { DECIMATED_RATE, MAX_LAG, expectedLag, pairs, station, type Pair } from './network.js';

/** One pair's stack: the mean of its correlations over `windows` windows. */
export interface StackedPair {
  readonly pair: Pair;
  readonly stack: Float64Array;
  readonly windows: number;
}

/** The pairs the SVG plot shows: lags ahead, behind, at zero and the longest. */
export const PLOTTED: readonly Pair[] = [
  'XC.ST01:XC.ST02',
  'XC.ST01:XC.ST06',
  'XC.ST01:XC.ST09',
  'XC.ST06:XC.ST07',
];

/** The lag (s) of stack index `i`. */
function lagOf(i: number): number {
  return (i - MAX_LAG) / DECIMATED_RATE;
}

/**
 * Writes `stacks/<A>_<B>.csv` (lag in s, correlation) and `stacks.json` (per pair: peak
 * lag, peak value, expected lag, windows) under `dir`, and returns each pair's peak, in
 * network order of the pairs. (Synchronous writes: see `miniseed.ts`.)
 */
export function writeStacks(
  dir: string,
  stacks: readonly StackedPair[],
): { pair: Pair; lag: number; windows: number }[] {
  const order = new Map(pairs().map(([, , pair], i) => [pair, i]));
  const sorted = [...stacks].sort((a, b) => order.get(a.pair)! - order.get(b.pair)!);
  mkdirSync(join(dir, 'stacks'), { recursive: true });
  const summary = [];
  for (const { pair, stack, windows } of sorted) {
    const lines = ['lag_s,cc'];
    for (let i = 0; i < stack.length; i++) lines.push(`${lagOf(i).toFixed(1)},${stack[i]!}`);
    writeFileSync(join(dir, 'stacks', `${pair.replace(':', '_')}.csv`), `${lines.join('\n')}\n`);
    const [index, value] = argmax(stack);
    const [a, b] = pair.split(':') as [string, string];
    summary.push({
      pair,
      lag: lagOf(index),
      peak: value,
      expectedLag: expectedLag(station(a), station(b)),
      windows,
    });
  }
  writeFileSync(join(dir, 'stacks.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary.map(({ pair, lag, windows }) => ({ pair, lag, windows }));
}

/** Writes `xcorr.svg` under `dir` (see {@link plot}); returns the pairs plotted, in order. */
export async function writePlot(dir: string, stacks: readonly StackedPair[]): Promise<Pair[]> {
  const order = new Map(PLOTTED.map((pair, i) => [pair, i]));
  const shown = stacks
    .filter((s) => order.has(s.pair))
    .sort((a, b) => order.get(a.pair)! - order.get(b.pair)!);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'xcorr.svg'), await plot(shown));
  return shown.map((s) => s.pair);
}

/** An SVG of the stacks, one row per pair, with the expected lag as a dashed rule. */
export async function plot(stacks: readonly StackedPair[]): Promise<string> {
  const [{ compile }, { parse, View }] = await Promise.all([import('vega-lite'), import('vega')]);
  const values = stacks.flatMap(({ pair, stack, windows }) => {
    const [a, b] = pair.split(':') as [string, string];
    const title = `${pair} (${windows} windows)`;
    return [
      ...Array.from(stack, (cc, i) => ({ title, lag: lagOf(i), cc, kind: 'stack' })),
      { title, lag: expectedLag(station(a), station(b)), cc: 0, kind: 'expected' },
    ];
  });
  const { spec } = compile({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Stacked ambient-noise cross-correlations (dashed: delay from the geometry)',
    data: { values },
    facet: {
      row: {
        field: 'title',
        type: 'nominal',
        title: null,
        header: { labelOrient: 'top', labelAngle: 0, labelAnchor: 'start', labelFontSize: 12 },
      },
    },
    spec: {
      width: 640,
      height: 110,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'stack'" }],
          mark: { type: 'line', strokeWidth: 1 },
          encoding: {
            x: { field: 'lag', type: 'quantitative', title: 'lag (s)' },
            y: { field: 'cc', type: 'quantitative', title: 'correlation' },
          },
        },
        {
          transform: [{ filter: "datum.kind === 'expected'" }],
          mark: { type: 'rule', color: 'firebrick', strokeDash: [4, 3] },
          encoding: { x: { field: 'lag', type: 'quantitative' } },
        },
      ],
    },
  });
  return new View(parse(spec), { renderer: 'none' }).toSVG();
}
