import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchRecord } from '../../bench/BenchRecord.js';
import { startMosquitto, sysValue, type PrivateMosquitto } from '../helpers/mqttNodes.js';

const run = promisify(execFile);

/**
 * The harness's `mqtt-mosquitto` entry end to end: node processes it starts itself, joined
 * through a Mosquitto (here a private one: `DISPEL4TS_BENCH_BROKER`), checked answers, and
 * no node left connected afterwards. Needs the `mosquitto` binary (`.ci/run` installs it).
 */
describe('npm run bench -- --quick --backend mqtt-mosquitto', () => {
  let dir: string;
  let mosquitto: PrivateMosquitto;
  let records: BenchRecord[];

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'dispel4ts-bench-'));
    const json = join(dir, 'records.json');
    await run(
      process.execPath,
      [
        ...['--import', 'tsx', 'bench/main.ts', '--quick', '--backend', 'mqtt-mosquitto'],
        ...['--workload', 'W1,W3', '--json', json, '--out', join(dir, 'out')],
      ],
      {
        encoding: 'utf8',
        timeout: 170_000,
        env: { ...process.env, DISPEL4TS_BENCH_BROKER: mosquitto.url },
      },
    );
    records = JSON.parse(await readFile(json, 'utf8')) as BenchRecord[];
  }, 180_000);

  afterAll(async () => {
    await mosquitto?.kill();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('measures W1 and W3 on 2 node processes (quick mode: the largest k), every answer right', () => {
    const mine = records.filter((r) => r.backend === 'mqtt-mosquitto');
    for (const workload of ['W1', 'W3']) {
      const r = mine.find((m) => m.workload === workload && m.k === 2);
      expect(r, workload).toMatchObject({ workers: 2, answer_ok: true });
      expect(r!.items_per_s).toBeGreaterThan(0);
      expect(r!.peak_rss_mb).toBeGreaterThan(100); // the node processes' memory is counted
    }
  });

  it('leaves no node connected to the broker', async () => {
    // $SYS figures come every second, retained: read until one taken after the harness ended
    // (the reading client counts itself once it is in a figure).
    let connected = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 10 && connected > 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      connected = await sysValue(mosquitto.url, '$SYS/broker/clients/connected');
    }
    expect(connected).toBeLessThanOrEqual(1);
  });
});
