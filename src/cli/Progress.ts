import { createLogUpdate } from 'log-update';
import type { RunStats } from '../runtime/RunStats.js';
import { summarizeStats } from './summarizeStats.js';

/** How often the display is redrawn. */
const REFRESH_MS = 200;

/**
 * The live progress display on a terminal's stderr: per PE, items in and out and their
 * rate, and the elapsed time, redrawn in place (log-update) every 200 ms. The CLI shows it
 * only when stderr is a terminal and `--quiet` is not given.
 */
export class Progress {
  private readonly log = createLogUpdate(process.stderr, { showCursor: false });
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly started = performance.now();
  private last = new Map<string, { items: number; at: number }>();
  private rates = new Map<string, number>();

  constructor(
    private readonly stats: RunStats,
    private readonly title: string,
    private readonly order: readonly string[],
  ) {
    this.timer = setInterval(() => this.draw(), REFRESH_MS);
    this.timer.unref();
  }

  /** Redraws now. */
  draw(): void {
    const now = performance.now();
    const elapsed = now - this.started;
    const rows = summarizeStats(this.stats.snapshot(), this.order, elapsed);
    const width = Math.max(4, ...rows.map((r) => r.pe.length));
    const lines = [`${this.title}  ${(elapsed / 1000).toFixed(1)} s`];
    lines.push(
      `  ${'PE'.padEnd(width)}  ${'in'.padStart(12)}  ${'out'.padStart(12)}  ${'items/s'.padStart(12)}`,
    );
    for (const r of rows) {
      const items = r.itemsIn > 0 ? r.itemsIn : r.itemsOut;
      const previous = this.last.get(r.pe);
      if (previous && now - previous.at >= REFRESH_MS / 2) {
        this.rates.set(r.pe, ((items - previous.items) * 1000) / (now - previous.at));
      }
      if (!previous || now - previous.at >= REFRESH_MS / 2) this.last.set(r.pe, { items, at: now });
      const rate = this.rates.get(r.pe) ?? r.itemsPerSecond;
      lines.push(
        `  ${r.pe.padEnd(width)}  ${count(r.itemsIn)}  ${count(r.itemsOut)}  ${count(Math.round(rate))}`,
      );
    }
    this.log(lines.join('\n'));
  }

  /** Draws the final state and leaves it on screen (`keep`), or erases it. */
  stop(keep: boolean): void {
    clearInterval(this.timer);
    if (keep) {
      this.draw();
      this.log.done();
    } else this.log.clear();
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US').padStart(12);
}
