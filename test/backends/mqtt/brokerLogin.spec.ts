/**
 * Brokers that want a login or TLS: what `dispel4ts node --username U --password P` and
 * `--ca FILE` / `--insecure`, and `mqtt({ username, password, ca, rejectUnauthorized })`,
 * are for. A node process and the coordinator both log in; a wrong password or a certificate
 * that does not verify is a clear error naming the broker, never a hang.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendError, collect } from '../../../src/index.js';
import { mqtt, startNode } from '../../../backends/mqtt/index.js';
import { pipeline, expected } from '../../../examples/workloads/pipeline.js';
import {
  aedesBroker,
  freshCluster,
  selfSignedCertificate,
  startNodeProcess,
  type NodeProcess,
} from '../../helpers/mqttNodes.js';

const quiet = { log: () => undefined };

/** Runs W1 (1,000 items) on `backend`, checks the answer, and closes the backend. */
async function expectPipelineRuns(backend: ReturnType<typeof mqtt>): Promise<void> {
  try {
    expect(await collect(pipeline, backend, { iterations: 1000 })).toEqual(expected(1000));
  } finally {
    await backend.close();
  }
}

describe('mqtt backend on a broker that wants a username and password', () => {
  const login = { username: 'd4', password: 'pw-123' };
  const { secret, prefix } = freshCluster();
  let broker: Awaited<ReturnType<typeof aedesBroker>>;
  let node: NodeProcess;

  beforeAll(async () => {
    broker = await aedesBroker({ login });
    node = await startNodeProcess(broker.url, 'login', secret, [
      ...['--topic-prefix', prefix, '--username', login.username, '--password', login.password],
    ]);
  }, 30_000);

  afterAll(async () => {
    await node?.stop();
    await broker?.close();
  });

  it('runs on a node process that logged in with --username and --password', async () => {
    await expectPipelineRuns(
      mqtt({ broker: broker.url, secret, topicPrefix: prefix, nodes: 1, ...login, ...quiet }),
    );
  });

  it('refuses a wrong password with an error naming the broker, for a node and for a run', async () => {
    const node = await startNode({
      broker: broker.url,
      secret,
      topicPrefix: prefix,
      username: login.username,
      password: 'wrong',
      ...quiet,
    }).catch((e: unknown) => e);
    expect(node).toBeInstanceOf(BackendError);
    expect((node as Error).message).toContain(`cannot connect to broker ${broker.url}`);
    const backend = mqtt({ broker: broker.url, secret, topicPrefix: prefix, nodes: 1, ...quiet });
    const start = Date.now();
    const run = await collect(pipeline, backend, { iterations: 10 }).catch((e: unknown) => e);
    expect(run).toBeInstanceOf(BackendError);
    expect((run as Error).message).toMatch(
      /cannot connect to broker .*(authori[sz]ed|username or password)/i,
    );
    expect(Date.now() - start).toBeLessThan(10_000);
    await backend.close();
  });
});

describe('mqtt backend over TLS (mqtts://)', () => {
  const { secret, prefix } = freshCluster();
  const certificate = selfSignedCertificate();
  let broker: Awaited<ReturnType<typeof aedesBroker>>;
  const nodes: NodeProcess[] = [];

  beforeAll(async () => {
    broker = await aedesBroker({ tls: certificate });
    nodes.push(
      await startNodeProcess(broker.url, 'tls-ca', secret, [
        ...['--topic-prefix', prefix, '--ca', certificate.certFile],
      ]),
      await startNodeProcess(broker.url, 'tls-insecure', secret, [
        ...['--topic-prefix', prefix, '--insecure'],
      ]),
    );
  }, 30_000);

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await broker?.close();
  });

  it('runs on node processes that trust the broker with --ca FILE, or do not check it with --insecure', async () => {
    expect(broker.url).toMatch(/^mqtts:/);
    await expectPipelineRuns(
      mqtt({
        broker: broker.url,
        secret,
        topicPrefix: prefix,
        nodes: 2,
        ca: certificate.cert,
        ...quiet,
      }),
    );
  });

  it('refuses a broker whose certificate does not verify, naming the broker', async () => {
    const backend = mqtt({ broker: broker.url, secret, topicPrefix: prefix, nodes: 1, ...quiet });
    const start = Date.now();
    const error = await collect(pipeline, backend, { iterations: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(
      new RegExp(`cannot connect to broker ${broker.url}: .*self[- ]signed certificate`),
    );
    expect(Date.now() - start).toBeLessThan(10_000);
    await backend.close();
  });
});
