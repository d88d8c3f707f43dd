import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import type { BenchRecord } from './BenchRecord.js';

/** Renders a Vega-Lite spec to SVG headlessly (no browser, no canvas). */
async function render(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const label = (r: BenchRecord): string =>
  r.backend === 'loop' || r.backend === 'rxjs' ? r.backend : `${r.backend} k=${r.k}`;

/**
 * Throughput per workload and backend (items/s; MB/s for W5), one panel per workload on a
 * log scale (the plain loop is orders of magnitude above the rest), baselines included. The
 * bounded-memory configuration is left out: its figure is memory, not speed.
 */
export function throughputChart(records: readonly BenchRecord[]): Promise<string> {
  const values = records
    .filter((r) => r.items_per_s !== null && r.workload !== 'W1-bounded')
    .map((r) => ({
      panel:
        r.mb_per_s !== null
          ? `${r.workload} ${r.name} (MB/s)`
          : `${r.workload} ${r.name} (items/s)`,
      config: label(r),
      kind: r.backend,
      value: r.mb_per_s ?? r.items_per_s,
    }));
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'dispel4ts throughput per workload and backend (median of runs)',
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: null },
    columns: 3,
    spec: {
      width: 220,
      height: 160,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        x: { field: 'config', type: 'nominal', sort: null, title: null, axis: { labelAngle: -40 } },
        y: {
          field: 'value',
          type: 'quantitative',
          scale: { type: 'log' },
          stack: null,
          title: 'per second (log)',
          axis: { format: '~s' },
        },
        color: { field: 'kind', type: 'nominal', title: 'backend' },
      },
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
}

/** W3 speedup over k = 1 per backend, against the ideal (speedup = k). */
export function scalingChart(records: readonly BenchRecord[]): Promise<string> {
  const measured = records
    .filter(
      (r) =>
        r.workload === 'W3' && r.speedup !== null && r.backend !== 'loop' && r.backend !== 'rxjs',
    )
    .map((r) => ({ k: r.k, speedup: r.speedup, series: r.backend }));
  const ks = [...new Set(measured.map((m) => m.k))];
  const values = [...measured, ...ks.map((k) => ({ k, speedup: k, series: 'ideal (k×)' }))];
  return render({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'W3 isprime: speedup over k = 1 (k instances of IsPrime, k workers)',
    data: { values },
    width: 360,
    height: 240,
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: { field: 'k', type: 'quantitative', axis: { tickMinStep: 1 }, title: 'k' },
      y: { field: 'speedup', type: 'quantitative', title: 'speedup over k = 1' },
      color: { field: 'series', type: 'nominal', title: null },
      strokeDash: {
        condition: { test: "datum.series === 'ideal (k×)'", value: [4, 4] },
        value: [1, 0],
      },
    },
  });
}
