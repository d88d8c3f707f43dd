import { markdownTable } from 'markdown-table';
import type { BenchOptions } from './BenchOptions.js';
import type { BenchRecord } from './BenchRecord.js';
import { headlines } from './headlines.js';

/** What the report says about the run besides its records. */
export interface RunInfo {
  readonly started: string;
  readonly command: string;
  readonly machine: string;
  readonly loadStart: string;
  readonly loadEnd: string;
  readonly commit: string;
  readonly skipped: readonly string[];
  readonly options: BenchOptions;
}

const fixed = (x: number | null, digits: number): string => (x === null ? '—' : x.toFixed(digits));
const rate = (x: number | null): string =>
  x === null
    ? '—'
    : x >= 1e6
      ? `${(x / 1e6).toFixed(2)} M`
      : x >= 1e3
        ? `${(x / 1e3).toFixed(1)} k`
        : x.toFixed(1);
const wall = (r: BenchRecord): string =>
  r.wall_s === null
    ? '—'
    : `${r.wall_s.toFixed(3)} (${r.wall_min_s!.toFixed(3)}–${r.wall_max_s!.toFixed(3)})`;

/**
 * The Markdown report of a run: headline figures against their floors, every record (median
 * wall time with min–max, items/s, MB/s, ratio to plain RxJS, peak RSS, answer), W3's
 * scaling, failures, skipped backends, and the charts.
 */
export function report(records: readonly BenchRecord[], info: RunInfo): string {
  const lines: string[] = [];
  lines.push('# dispel4ts benchmark report', '');
  lines.push(`- run: ${info.started}, \`${info.command}\`, commit \`${info.commit}\``);
  lines.push(`- machine: ${info.machine}`);
  lines.push(
    `- load average (1, 5, 15 min): ${info.loadStart} at start, ${info.loadEnd} at the end`,
  );
  lines.push(
    `- each figure: median of ${info.options.repeat} measured run(s) (min–max)` +
      (info.options.quick ? '' : ' after three unmeasured warm-up runs in the same process') +
      (info.options.processes > 1
        ? `, in each of ${info.options.processes} fresh processes per configuration (one pass over every configuration per process), the runs pooled`
        : '') +
      "; every run's answer checked (a wrong answer is a failure, not a figure); " +
      (info.options.quick
        ? 'quick mode: one shared process per backend, so peak RSS is cumulative.'
        : "each configuration in a fresh process; peak RSS is that whole process tree's."),
  );
  lines.push(
    '- `best items/s`: n over the fastest run (on a shared machine, the closest to an uncontended figure); `cores`: CPU seconds over wall seconds of a run, every thread of the measuring process.',
    '- `vs rxjs`: items/s over the plain-RxJS baseline of the same workload and size in this run; MB = 10^6 bytes; RSS in MiB.',
    '',
  );
  lines.push('## Headline figures', '');
  lines.push(
    markdownTable([
      ['check', 'figure', 'floor', 'met'],
      ...headlines(records).map((h) => [
        h.check,
        h.figure,
        h.floor,
        h.met === undefined ? 'not run' : h.met ? 'yes' : '**no**',
      ]),
    ]),
    '',
  );
  lines.push('## All configurations', '');
  lines.push(
    markdownTable(
      [
        [
          'workload',
          'backend',
          'k',
          'workers',
          'n',
          'wall s, median (min–max)',
          'cold s',
          'items/s',
          'best items/s',
          'cores',
          'MB/s',
          'vs rxjs',
          'peak RSS MB',
          'answer',
        ],
        ...records.map((r) => [
          `${r.workload} ${r.name}`,
          r.backend,
          String(r.k),
          String(r.workers),
          r.n.toLocaleString('en'),
          wall(r),
          fixed(r.cold_wall_s, 3),
          rate(r.items_per_s),
          rate(r.items_per_s_best),
          fixed(r.cores, 2),
          fixed(r.mb_per_s, 0),
          r.vs_rxjs === null ? '—' : `${r.vs_rxjs.toFixed(2)}×`,
          r.peak_rss_mb.toFixed(0),
          r.answer_ok ? 'ok' : '**FAILED**',
        ]),
      ],
      { align: ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] },
    ),
    '',
  );
  const w3 = records.filter(
    (r) =>
      r.workload === 'W3' && r.speedup !== null && r.backend !== 'loop' && r.backend !== 'rxjs',
  );
  if (w3.length > 0) {
    lines.push('## W3 scaling', '');
    lines.push(
      markdownTable([
        ['backend', 'k', 'items/s', 'speedup over k = 1', 'efficiency'],
        ...w3.map((r) => [
          r.backend,
          String(r.k),
          rate(r.items_per_s),
          `${r.speedup!.toFixed(2)}×`,
          `${(100 * r.efficiency!).toFixed(0)}%`,
        ]),
      ]),
      '',
    );
  }
  const failed = records.filter((r) => !r.answer_ok);
  if (failed.length > 0) {
    lines.push('## Failures', '');
    for (const r of failed)
      lines.push(`- ${r.workload} ${r.backend} k=${r.k} n=${r.n}: ${r.error ?? 'failed'}`);
    lines.push('');
  }
  if (info.skipped.length > 0) {
    lines.push('## Skipped backends', '');
    for (const s of info.skipped) lines.push(`- ${s}`);
    lines.push('');
  }
  lines.push(
    '## Charts',
    '',
    '![Throughput per workload and backend](throughput.svg)',
    '',
    '![W3 scaling](w3-scaling.svg)',
    '',
  );
  return lines.join('\n');
}
