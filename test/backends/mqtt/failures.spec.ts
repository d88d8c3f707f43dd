/**
 * How runs over MQTT end when something breaks mid-run: a node killed (SIGKILL: its last
 * will), a node frozen (SIGSTOP: silence past the heartbeat timeout), a PE that throws, the
 * broker restarting. Each run ends within 10 s with an error naming the node and its PE
 * instances (or finishes correctly), never hangs, and the next run succeeds. Against a
 * private Mosquitto, with nodes as real processes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, PEError, WorkerLostError } from '../../../src/index.js';
import { mqtt, type MqttOptions } from '../../../backends/mqtt/index.js';
import { pipeline, expected } from '../../../examples/workloads/pipeline.js';
import { throwing } from '../../fixtures/workerFaults.js';
import { slowCount } from '../../fixtures/mqttFaults.js';
import {
  freshCluster,
  startMosquitto,
  startNodeProcess,
  type NodeProcess,
  type PrivateMosquitto,
} from '../../helpers/mqttNodes.js';

let broker: PrivateMosquitto;
const nodes: NodeProcess[] = [];
const { secret, prefix } = freshCluster();

const backend = (extra: Partial<MqttOptions> = {}) =>
  mqtt({
    broker: broker.url,
    secret,
    topicPrefix: prefix,
    nodes: 2,
    heartbeatTimeoutMs: 4000,
    ...extra,
  });

async function node(name: string): Promise<NodeProcess> {
  const started = await startNodeProcess(broker.url, name, secret, ['--topic-prefix', prefix]);
  nodes.push(started);
  return started;
}

/** Two nodes up (fresh ones where earlier tests killed some). */
async function twoNodes(): Promise<[NodeProcess, NodeProcess]> {
  for (const n of nodes.splice(0)) await n.stop();
  return [await node(`a${Date.now() % 100000}`), await node(`b${Date.now() % 100000}`)];
}

beforeAll(async () => {
  broker = await startMosquitto();
}, 30_000);

afterEach(async () => {
  for (const n of nodes.splice(0)) {
    if (n.child.signalCode === 'SIGSTOP' || n.child.exitCode === null) n.child.kill('SIGCONT');
    await n.stop();
  }
});

afterAll(async () => {
  await broker?.kill();
});

/** Runs `slowCount` and returns its error and how long after `broken` it came. */
async function breakMidRun(
  options: Partial<MqttOptions>,
  breakIt: (running: NodeProcess[]) => Promise<void> | void,
  running: NodeProcess[],
  iterations = 5_000_000,
): Promise<{ error: unknown; afterMs: number }> {
  let brokenAt = 0;
  const result = collect(slowCount, backend(options), { iterations }).then(
    (r) => ({ ok: r }),
    (error: unknown) => ({ error }),
  );
  await Promise.all(running.map((n) => n.waitFor(/running /)));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  brokenAt = Date.now();
  await breakIt(running);
  const outcome = await result;
  return { error: 'error' in outcome ? outcome.error : outcome, afterMs: Date.now() - brokenAt };
}

describe('mqtt backend failures', () => {
  it('a node killed with SIGKILL mid-run: a WorkerLostError naming the node and its instances within 10 s; the next run succeeds', async () => {
    const [, b] = await twoNodes();
    const { error, afterMs } = await breakMidRun({}, () => void b.child.kill('SIGKILL'), [b]);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect((error as WorkerLostError).worker).toBe(`node ${b.name}`);
    expect((error as WorkerLostError).instances.length).toBeGreaterThan(0);
    expect((error as Error).message).toMatch(/last will|no heartbeat/);
    expect(afterMs).toBeLessThan(10_000);
    await node('c');
    expect(await collect(pipeline, backend(), { iterations: 10_000 })).toEqual(expected(10_000));
  }, 90_000);

  it('a node frozen (SIGSTOP) mid-run: silence past the heartbeat timeout ends the run within 10 s; the thawed node frees itself', async () => {
    const [a, b] = await twoNodes();
    const { error, afterMs } = await breakMidRun({}, () => void b.child.kill('SIGSTOP'), [b]);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect((error as WorkerLostError).worker).toBe(`node ${b.name}`);
    expect((error as Error).message).toMatch(/no heartbeat|last will/);
    expect(afterMs).toBeLessThan(10_000);
    b.child.kill('SIGCONT');
    await b.waitFor(/endpoint \d+: ended/, 20_000);
    await a.waitFor(/endpoint \d+: ended/, 20_000);
    expect(await collect(pipeline, backend(), { iterations: 10_000 })).toEqual(expected(10_000));
  }, 90_000);

  it('a PE that throws on a node: a PEError naming PE, instance, item and node', async () => {
    await twoNodes();
    const error = await collect(throwing, backend(), { iterations: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PEError);
    expect(error).toMatchObject({ workflow: 'throwing', pe: 'Explode', item: 500 });
    expect((error as { node?: string }).node).toMatch(/^[ab]\d+$/);
    expect((error as Error).message).toMatch(/on node [ab]\d+/);
  }, 60_000);

  it('the broker restarting mid-run: the run carries on losslessly (or fails clearly within 10 s), never hangs; the next run succeeds', async () => {
    await twoNodes();
    const { error, afterMs } = await breakMidRun(
      {},
      async () => {
        await broker.kill();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await broker.restart();
      },
      nodes,
      1_000_000,
    );
    console.info(
      `broker restart mid-run: ${error instanceof Error ? `${error.name}: ${error.message}` : 'finished correctly'} (${afterMs} ms after the kill)`,
    );
    if (error instanceof Error) {
      expect(error.name).toMatch(/BackendError|WorkerLostError/);
      expect(error.message).toMatch(/broker|lost|never arrived|heartbeat/);
      expect(afterMs).toBeLessThan(10_000 + 1000);
    } else {
      // It carried on: resent what the restart lost, applied each item once.
      expect(error).toEqual({ ok: { Count: [1_000_000] } });
    }
    expect(await collect(pipeline, backend({ waitMs: 20_000 }), { iterations: 10_000 })).toEqual(
      expected(10_000),
    );
  }, 90_000);
});
