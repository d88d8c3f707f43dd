import { writeFileSync } from 'node:fs';
import Table from 'cli-table3';
import type { PETiming } from './summarizeStats.js';

/**
 * `--timing`'s report: a table per PE on stderr, and the same as JSON — into `file` when
 * one was given (`--timing FILE`), else on stderr after the table, as one line.
 */
export function printTiming(
  rows: readonly PETiming[],
  run: { readonly workflow: string; readonly backend: string; readonly wallMs: number },
  file: string | undefined,
): void {
  const table = new Table({
    head: [
      'PE',
      'instances',
      'items in',
      'items out',
      'busy ms',
      'items/s',
      'mean µs/item',
      'p95 µs/item',
    ],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    table.push([
      r.pe,
      r.instances,
      r.itemsIn,
      r.itemsOut,
      r.busyMs.toFixed(1),
      Math.round(r.itemsPerSecond).toLocaleString('en-US'),
      (r.meanMs * 1000).toFixed(2),
      (r.p95Ms * 1000).toFixed(2),
    ]);
  }
  process.stderr.write(
    `timing of workflow "${run.workflow}" on ${run.backend}: ${(run.wallMs / 1000).toFixed(3)} s wall\n${table.toString()}\n`,
  );
  const json = JSON.stringify({
    workflow: run.workflow,
    backend: run.backend,
    wallMs: run.wallMs,
    pes: rows,
  });
  if (file !== undefined) writeFileSync(file, json + '\n');
  else process.stderr.write(json + '\n');
}
