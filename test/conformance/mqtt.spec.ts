import { afterAll, beforeAll, expect, it } from 'vitest';
import { mqtt } from '../../backends/mqtt/index.js';
import {
  freshCluster,
  reachable,
  retainedUnder,
  startNodeProcess,
  type NodeProcess,
} from '../helpers/mqttNodes.js';
import { describeBackend } from './suite.js';

// The embedded cluster: aedes on a loopback port and two local nodes, started by mqtt()
// itself and kept warm between the runs of the suite.
const embedded = mqtt({ nodes: 2, idleMs: 10_000 });
afterAll(() => embedded.close());
describeBackend('mqtt (embedded aedes, 2 nodes)', () => embedded, { timeout: 60_000 });

// The real Mosquitto of this machine (CI starts it): two node processes of a cluster of
// this spec's own (secret and topic prefix), so nothing else on the broker interferes.
const MOSQUITTO = 'mqtt://127.0.0.1:1883';
const { secret, prefix } = freshCluster();
const real = mqtt({ broker: MOSQUITTO, secret, topicPrefix: prefix, nodes: 2 });
const nodes: NodeProcess[] = [];

beforeAll(async () => {
  if (!(await reachable('127.0.0.1', 1883))) {
    throw new Error(
      'Mosquitto is not reachable at 127.0.0.1:1883: the mqtt conformance tests need it. Start it with `mosquitto -d -c /etc/mosquitto/mosquitto.conf` (.ci/run does).',
    );
  }
  for (const name of ['m1', 'm2'])
    nodes.push(await startNodeProcess(MOSQUITTO, name, secret, ['--topic-prefix', prefix]));
}, 60_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
});

describeBackend('mqtt (Mosquitto 127.0.0.1:1883, 2 node processes)', () => real, {
  timeout: 60_000,
});

it('leaves no retained message under the cluster’s topics on Mosquitto', async () => {
  expect(await retainedUnder(MOSQUITTO, `${prefix}/#`)).toEqual([]);
});
