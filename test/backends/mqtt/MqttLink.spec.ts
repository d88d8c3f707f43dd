/**
 * The broker connection's acknowledgement nudges: a broker that keeps Nagle's algorithm on
 * (Mosquitto's default) holds a small packet while an earlier one is unacknowledged, and a
 * client that answers a PUBACK or SUBACK with nothing acknowledges it only 40 ms later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttLink } from '../../../backends/mqtt/MqttLink.js';
import { aedesBroker } from '../../helpers/mqttNodes.js';

const link = (url: string, clientId: string): Promise<MqttLink> =>
  MqttLink.connect({
    broker: url,
    clientId,
    keepalive: 30,
    inflight: 16,
    nudgeTopic: `t/nudge/${clientId}`,
  });

describe('MqttLink acknowledgement nudges', () => {
  let broker: Awaited<ReturnType<typeof aedesBroker>>;
  let a: MqttLink;
  let b: MqttLink;
  let watcher: MqttLink;
  const nudges: Buffer[] = [];

  beforeAll(async () => {
    broker = await aedesBroker({ nagle: true });
    [a, b, watcher] = await Promise.all([
      link(broker.url, 'a'),
      link(broker.url, 'b'),
      link(broker.url, 'w'),
    ]);
    await watcher.subscribe('t/nudge/a', (_topic, payload) => nudges.push(payload));
  });

  afterAll(async () => {
    await Promise.all([a, b, watcher].map((l) => l.end(500)));
    await broker.close();
  });

  it('answers a PUBACK and a SUBACK that nothing else answers with one empty QoS 0 message', async () => {
    const before = nudges.length;
    a.publish('t/lone', Buffer.from('x'));
    await until(() => nudges.length > before);
    await a.subscribe('t/for-a', () => undefined);
    await until(() => nudges.length > before + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(nudges.length).toBe(before + 2);
    expect(nudges.every((payload) => payload.length === 0)).toBe(true);
  });

  it('keeps a ping-pong through a broker with Nagle on from waiting for delayed acknowledgements', async () => {
    // Without the nudges each turn waits for a's delayed ACK of its PUBACK: 40 ms here, so 40
    // turns took 1.6 s; with them, a few ms.
    const turns = 40;
    let pongs = 0;
    let ponged: () => void = () => undefined;
    await a.subscribe('t/pong', () => {
      pongs++;
      ponged();
    });
    await b.subscribe('t/ping', () => b.publish('t/pong', Buffer.from('pong')));
    const start = performance.now();
    for (let i = 0; i < turns; i++) {
      const pong = new Promise<void>((resolve) => (ponged = resolve));
      a.publish('t/ping', Buffer.from('ping'));
      await pong;
    }
    const elapsed = performance.now() - start;
    expect(pongs).toBe(turns);
    expect(elapsed).toBeLessThan(turns * 20);
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
