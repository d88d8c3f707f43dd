/**
 * The MQTT backend's own guarantees beyond conformance: topics built in one place, a
 * printable plan, signed bundles only (anything else refused with a logged reason),
 * malformed and oversized messages dropped without harm, nothing left on the broker after
 * runs (no retained message, no subscription), and the node process's clean exit on SIGTERM.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import mqttjs from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, collect, formatPlan, run } from '../../../src/index.js';
import {
  mqtt,
  startBroker,
  startNode,
  type EmbeddedBroker,
  type MqttNode,
} from '../../../backends/mqtt/index.js';
import { topics } from '../../../backends/mqtt/topics.js';
import { COORDINATOR } from '../../../src/runtime/protocol.js';
import { pipeline, expected } from '../../../examples/workloads/pipeline.js';
import { slowCount } from '../../fixtures/mqttFaults.js';
import {
  freshCluster,
  startMosquitto,
  startNodeProcess,
  sysValue,
  retainedUnder,
  type PrivateMosquitto,
} from '../../helpers/mqttNodes.js';

describe('mqtt topics', () => {
  it('are built in one place, per run and per endpoint, data per receiving instance, names encoded', () => {
    const t = topics('d4');
    expect(t.endpoint('r1', COORDINATOR)).toBe('d4/run/r1/c');
    expect(t.endpoint('r1', 2)).toBe('d4/run/r1/2');
    expect(t.input('r1', 2, 'Add/One+#', 3)).toBe('d4/run/r1/2/in/Add%2FOne%2B%23/3');
    expect(t.endpointAll('r1', 2)).toBe('d4/run/r1/2/#');
    expect(t.presence('n 1')).toBe('d4/presence/n%201');
    expect(t.nudge).toBe('d4/nudge');
    expect(t.nodeOfPresence('d4/presence/n%201')).toBe('n 1');
    expect(() => topics('a/#')).toThrow(RangeError);
  });
});

describe('mqtt backend on an in-process broker', () => {
  let broker: EmbeddedBroker;
  const { secret, prefix } = freshCluster();
  const logs: string[] = [];
  const nodes: MqttNode[] = [];

  beforeAll(async () => {
    broker = await startBroker();
    for (const name of ['p1', 'p2']) {
      nodes.push(
        await startNode({
          broker: broker.url,
          name,
          secret,
          topicPrefix: prefix,
          log: (line) => logs.push(`${name}: ${line}`),
        }),
      );
    }
  }, 30_000);

  afterAll(async () => {
    for (const node of nodes) await node.close();
    await broker?.close();
  });

  const backend = () => mqtt({ broker: broker.url, secret, topicPrefix: prefix, nodes: 2 });
  const coordinators = (): string[] =>
    broker.subscriptions().filter((s) => s.startsWith('d4ts-coord-'));
  /** Waits for the earlier tests' coordinator connections to end (within their lingerMs). */
  const noCoordinators = async (): Promise<void> => {
    for (let i = 0; i < 30 && coordinators().length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(coordinators()).toEqual([]);
  };

  it('prints its plan: endpoints and the node of each', async () => {
    const plan = await backend().plan(pipeline.graph);
    expect(plan.nodes).toEqual(['p1', 'p2']);
    expect(formatPlan(plan)).toBe(
      'worker 0: Numbers[0], AddOne_2[0], Sum[0]\nworker 1: AddOne[0], AddOne_3[0]',
    );
  });

  it("runs producers on the coordinator with producers: 'coordinator'", async () => {
    const onCoordinator = mqtt({
      broker: broker.url,
      secret,
      topicPrefix: prefix,
      nodes: 2,
      producers: 'coordinator',
    });
    expect(formatPlan(await onCoordinator.plan(pipeline.graph))).toBe(
      'coordinator: Numbers[0]\nworker 0: AddOne[0], AddOne_3[0]\nworker 1: AddOne_2[0], Sum[0]',
    );
    expect(await collect(pipeline, onCoordinator, { iterations: 5000 })).toEqual(expected(5000));
    // The run's subscriptions go once it has ended (before the next test looks).
    for (let i = 0; i < 30 && broker.subscriptions().some((s) => s.includes('/run/')); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(broker.subscriptions().filter((s) => s.includes('/run/'))).toEqual([]);
  });

  it('runs, and leaves no subscription of the run and no retained message behind; the coordinator keeps one connection for back-to-back runs and ends it lingerMs after the last', async () => {
    await noCoordinators();
    const before = broker.subscriptions();
    const shared = backend();
    expect(await collect(pipeline, shared, { iterations: 20_000 })).toEqual(expected(20_000));
    // The run's own subscription goes as it ends (an UNSUBACK away).
    const runGone = async (): Promise<void> => {
      for (let i = 0; i < 30 && coordinators().some((s) => s.includes('/run/')); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await runGone();
    const kept = coordinators();
    expect(kept).toHaveLength(1); // its presence subscription: the run's own are gone
    expect(kept[0]).toMatch(/ [^ ]+\/presence\/\+$/);
    expect(await collect(pipeline, shared, { iterations: 20_000 })).toEqual(expected(20_000));
    await runGone();
    expect(coordinators()).toEqual(kept); // the same connection served the second run
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = broker.subscriptions();
    expect(after.filter((s) => s.includes('/run/'))).toEqual([]);
    expect(after.filter((s) => s.startsWith('d4ts-coord-'))).toEqual([]);
    expect(after.sort()).toEqual(before.sort());
    expect(await broker.retained()).toEqual([]);
    // The check can see a retained message (it is not vacuous):
    const probe = await mqttjs.connectAsync(broker.url);
    await probe.publishAsync(`${prefix}-probe`, 'x', { qos: 1, retain: true });
    expect(await broker.retained()).toEqual([`${prefix}-probe`]);
    await probe.publishAsync(`${prefix}-probe`, '', { qos: 1, retain: true });
    await probe.endAsync();
  });

  it('stops the run and frees every node when the caller unsubscribes', async () => {
    await noCoordinators();
    const before = broker.subscriptions().sort();
    const subscription = run(slowCount, backend(), { iterations: 50_000_000 }).subscribe({
      error: () => undefined,
    });
    for (let i = 0; i < 100 && !nodes.every((n) => n.busy === 1); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(nodes.map((n) => n.busy)).toEqual([1, 1]);
    subscription.unsubscribe();
    for (let i = 0; i < 100 && nodes.some((n) => n.busy > 0); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(nodes.map((n) => n.busy)).toEqual([0, 0]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(broker.subscriptions().sort()).toEqual(before);
    expect(await collect(pipeline, backend(), { iterations: 100 })).toEqual(expected(100));
  }, 60_000);

  it('refuses a job not signed with the cluster secret, logs why, and the run fails at once', async () => {
    const wrong = mqtt({
      broker: broker.url,
      secret: 'not-the-cluster-secret',
      topicPrefix: prefix,
      nodes: 2,
    });
    const start = Date.now();
    const error = await collect(pipeline, wrong, { iterations: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(
      /refused the job: the job's signature does not verify/,
    );
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(logs.some((l) => /refused a job for run .*signature does not verify/.test(l))).toBe(
      true,
    );
    expect(await collect(pipeline, backend(), { iterations: 100 })).toEqual(expected(100));
  });

  it('drops malformed and forged messages on its topics with a logged reason and keeps working', async () => {
    const client = await mqttjs.connectAsync(broker.url);
    const node = nodes[0]!;
    await client.publishAsync(
      `${prefix}/node/${encodeURIComponent(node.id)}/job`,
      Buffer.from('garbage'),
      { qos: 1 },
    );
    await client.publishAsync(
      `${prefix}/node/${encodeURIComponent(node.id)}/job`,
      randomBytes(1000),
      { qos: 1 },
    );
    await client.publishAsync(`${prefix}/discover`, randomBytes(100), { qos: 1 });
    await client.publishAsync(`${prefix}/presence/x`, randomBytes(100), { qos: 1 });
    // During a run: garbage on every endpoint's topics.
    let runId = '';
    const run = collect(
      pipeline,
      mqtt({
        broker: broker.url,
        secret,
        topicPrefix: prefix,
        nodes: 2,
        log: (l) => (runId ||= /run (\S+) on/.exec(l)?.[1] ?? ''),
      }),
      { iterations: 2_000_000 },
    );
    for (let i = 0; i < 50 && !runId; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runId).not.toBe('');
    for (const endpoint of ['c', '0', '1']) {
      await client.publishAsync(`${prefix}/run/${runId}/${endpoint}`, Buffer.from('not v8'), {
        qos: 1,
      });
      await client.publishAsync(
        `${prefix}/run/${runId}/${endpoint}/in/Sum/0`,
        Buffer.from([0xff, 0x0f, 0x6f, 0x7b]),
        { qos: 1 },
      );
    }
    expect(await run).toEqual(expected(2_000_000));
    await client.endAsync();
    expect(
      logs.some((l) =>
        /refused a job: not a sealed job|refused a job: the job is not signed/.test(l),
      ),
    ).toBe(true);
    expect(logs.some((l) => /dropped a message on .*\/run\/.*: /.test(l))).toBe(true);
    expect(nodes.every((n) => n.busy === 0)).toBe(true);
  }, 60_000);

  it('drops a message over maxMessageBytes with a logged reason', async () => {
    const small: string[] = [];
    const node = await startNode({
      broker: broker.url,
      name: 'small',
      secret,
      topicPrefix: `${prefix}-small`,
      maxMessageBytes: 4096,
      log: (l) => small.push(l),
    });
    const client = await mqttjs.connectAsync(broker.url);
    await client.publishAsync(
      `${prefix}-small/node/${encodeURIComponent(node.id)}/job`,
      randomBytes(70 << 20),
      { qos: 1 },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await client.endAsync();
    await node.close();
    expect(small.some((l) => /dropped a job of \d+ bytes/.test(l))).toBe(true);
  }, 30_000);
});

describe('mqtt backend, embedded, in a program of its own', () => {
  it('a lingering coordinator connection does not keep an idle process alive: a program whose last step is a run ends at once', async () => {
    const fixture = new URL('../../fixtures/mqttLingerExit.ts', import.meta.url).pathname;
    const { stdout, ended } = await new Promise<{ stdout: string; ended: number }>(
      (resolve, reject) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', fixture],
          { timeout: 30_000, encoding: 'utf8' },
          (error, out) => (error ? reject(error) : resolve({ stdout: out, ended: Date.now() })),
        );
      },
    );
    expect(stdout).toContain('RIGHT');
    const printed = Number(/PRINTED (\d+)/.exec(stdout)?.[1]);
    // lingerMs is 10 s: had the connection kept the process alive, it would have lasted that.
    expect(ended - printed).toBeLessThan(3000);
  }, 40_000);
});

describe('mqtt backend on a private Mosquitto', () => {
  let broker: PrivateMosquitto;
  const { secret, prefix } = freshCluster();

  beforeAll(async () => {
    broker = await startMosquitto();
  }, 30_000);
  afterAll(() => broker?.kill());

  it('leaves no subscription and no retained message on Mosquitto; a node leaves on SIGTERM with exit code 0', async () => {
    const baseline = await sysValue(broker.url, '$SYS/broker/subscriptions/count');
    const a = await startNodeProcess(broker.url, 'q1', secret, ['--topic-prefix', prefix]);
    const b = await startNodeProcess(broker.url, 'q2', secret, ['--topic-prefix', prefix]);
    const backend = mqtt({ broker: broker.url, secret, topicPrefix: prefix, nodes: 2 });
    for (let i = 0; i < 3; i++)
      expect(await collect(pipeline, backend, { iterations: 50_000 })).toEqual(expected(50_000));
    await new Promise((resolve) => setTimeout(resolve, 2500)); // $SYS is published every second
    // Each node keeps its job and discover subscriptions while it is up; nothing of the runs.
    expect(await sysValue(broker.url, '$SYS/broker/subscriptions/count')).toBe(baseline + 4);
    expect(await retainedUnder(broker.url, `${prefix}/#`)).toEqual([]);
    const probe = await mqttjs.connectAsync(broker.url);
    await probe.publishAsync(`${prefix}/probe`, 'x', { qos: 1, retain: true });
    expect(await retainedUnder(broker.url, `${prefix}/#`)).toEqual([`${prefix}/probe`]);
    await probe.publishAsync(`${prefix}/probe`, '', { qos: 1, retain: true });
    await probe.endAsync();
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([0, 0]);
    expect(a.log()).toMatch(/left \(it received SIGTERM\)/);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await sysValue(broker.url, '$SYS/broker/subscriptions/count')).toBe(baseline);
  }, 60_000);
});
