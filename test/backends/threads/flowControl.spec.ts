import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs test/fixtures/peakRss.ts in a fresh process: its peak RSS is the run's alone. */
function peakRss(
  workflow: string,
  n: number,
): { results: Record<string, number[]>; peakRssMb: number } {
  const out = execFileSync('npx', ['tsx', 'test/fixtures/peakRss.ts', workflow, String(n)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as {
    results: Record<string, number[]>;
    peakRssMb: number;
  };
}

describe('threads backend flow control', () => {
  it('keeps memory flat when a fast producer feeds a slow consumer on another worker', () => {
    // The baseline is the larger of two small runs: with batches cut small for the slow
    // consumer, little is in flight, and where V8's heap happens to peak moves a single run's
    // figure by 50 MB (200-253 MB over four runs here).
    // The large figure is the smaller of two runs for the same reason (one large run peaked
    // 49 MB above its baseline while the rest of the suite loaded the machine): a backlog
    // would show in both.
    const smalls = [peakRss('slowLines', 150_000), peakRss('slowLines', 150_000)];
    const larges = [peakRss('slowLines', 600_000), peakRss('slowLines', 600_000)];
    for (const small of smalls) expect(small.results).toEqual({ SlowLength: [150_000 * 200] });
    for (const large of larges) expect(large.results).toEqual({ SlowLength: [600_000 * 200] });
    // Four times the items, 450,000 more 200-character strings behind a consumer slower
    // than its producer: without credits the backlog alone would add ~100 MB.
    const baseline = Math.max(...smalls.map((s) => s.peakRssMb));
    const large = Math.min(...larges.map((l) => l.peakRssMb));
    expect(large - baseline).toBeLessThan(40);
    expect(large).toBeLessThan(300);
  }, 90_000);
});
