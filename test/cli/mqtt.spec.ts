/**
 * The MQTT backend through the `dispel4ts` command: `run --backend mqtt` with no broker (the
 * embedded cluster), `dispel4ts node` processes and `run --backend mqtt --broker URL`
 * against a private Mosquitto, and a node that refuses to start without the cluster secret.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expected } from '../../examples/workloads/pipeline.js';
import { dispel4ts } from '../helpers/cli.js';
import {
  freshCluster,
  startMosquitto,
  startNodeProcess,
  type PrivateMosquitto,
} from '../helpers/mqttNodes.js';

const bin = fileURLToPath(new URL('../../bin/dispel4ts.mjs', import.meta.url));

describe('dispel4ts and the mqtt backend', () => {
  let broker: PrivateMosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  }, 30_000);
  afterAll(() => broker?.kill());

  it('run --backend mqtt with no broker: an embedded broker and local nodes, results as JSON lines', async () => {
    const run = await dispel4ts(
      ['run', 'examples/workloads/pipeline.ts', '-i', '1000', '--backend', 'mqtt', '-n', '2'],
      {
        timeoutMs: 120_000,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.lines()).toEqual([{ output: 'Sum', value: expected(1000).Sum[0] }]);
  }, 150_000);

  it('dispel4ts node joins a broker; run --backend mqtt --broker URL runs on it; SIGTERM leaves with exit code 0', async () => {
    const { secret, prefix } = freshCluster();
    const node = await startNodeProcess(
      broker.url,
      'cli-node',
      secret,
      ['--topic-prefix', prefix],
      [process.execPath, bin, 'node'],
    );
    const run = await dispel4ts(
      [
        'run',
        'examples/workloads/pipeline.ts',
        '-i',
        '5000',
        '--backend',
        'mqtt',
        '--broker',
        broker.url,
        '--topic-prefix',
        prefix,
        '-n',
        '1',
      ],
      { env: { DISPEL4TS_SECRET: secret }, timeoutMs: 120_000 },
    );
    expect(run.code).toBe(0);
    expect(run.lines()).toEqual([{ output: 'Sum', value: expected(5000).Sum[0] }]);
    expect(node.log()).toMatch(/endpoint 0: running Numbers\[0\]/);
    expect(await node.stop()).toBe(0);
    expect(node.log()).toMatch(/left \(it received SIGTERM\)/);
  }, 150_000);

  it('dispel4ts node without the cluster secret refuses to start and says how to give it', async () => {
    const run = await dispel4ts(['node', '--broker', broker.url], {
      env: { DISPEL4TS_SECRET: '' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no cluster secret: set DISPEL4TS_SECRET or pass --secret-file/);
  }, 60_000);

  it('run --backend mqtt --broker URL without a secret fails with one clear line', async () => {
    const run = await dispel4ts(
      ['run', 'examples/workloads/pipeline.ts', '--backend', 'mqtt', '--broker', broker.url],
      {
        env: { DISPEL4TS_SECRET: '' },
      },
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/no cluster secret/);
  }, 60_000);
});
