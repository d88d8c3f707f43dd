/**
 * The MQTT transport's acknowledgements: every message says what its sender has received, so
 * the receiver of that acknowledgement stops keeping what it sent (it keeps everything else,
 * to send again when a peer asks).
 */
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MqttTransport } from '../../../backends/mqtt/MqttTransport.js';
import type { MqttLink } from '../../../backends/mqtt/MqttLink.js';
import { topics } from '../../../backends/mqtt/topics.js';
import { COORDINATOR, type Message } from '../../../src/runtime/protocol.js';
import type { WorkflowGraph } from '../../../src/graph/WorkflowGraph.js';

function endpoint(log: (line: string) => void = () => undefined): {
  transport: MqttTransport;
  published: Buffer[];
} {
  const published: Buffer[] = [];
  const link = { publish: (_topic: string, payload: Buffer) => void published.push(payload) };
  const transport = new MqttTransport({
    self: 0,
    run: 'r1',
    link: link as unknown as MqttLink,
    topics: topics('t'),
    graph: { name: 'g', nodes: [], connections: [], inputs: [], outputs: [] } as unknown as WorkflowGraph,
    workers: 1,
    peers: [COORDINATOR],
    maxMessageBytes: 1 << 20,
    gapTimeoutMs: 3000,
    onLoss: () => undefined,
    log,
  });
  return { transport, published };
}

const heartbeat: Message = { kind: 'heartbeat', from: 0 };
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('MqttTransport', () => {
  it('stops keeping what a message from its peer acknowledges, and sends the rest again when asked', async () => {
    const { transport, published } = endpoint();
    try {
      for (let i = 0; i < 3; i++) transport.send(COORDINATOR, heartbeat); // numbers 0, 1, 2
      expect(published).toHaveLength(3);
      // The coordinator's first message says it has 0 and 1 (everything below 2).
      const fromCoordinator: Message = { kind: 'heartbeat', from: COORDINATOR };
      transport.deliver('t/x', serialize({ f: COORDINATOR, s: 0, m: fromCoordinator, a: 2 }));
      await settle();
      published.length = 0;
      transport.deliver('t/x', serialize({ f: COORDINATOR, r: 0 })); // "send again from 0 on"
      await settle();
      expect(published).toHaveLength(1); // only number 2 was still kept
    } finally {
      transport.close();
    }
  });

  it('drops a message whose acknowledgement is not a sequence number, with a logged reason', async () => {
    const logs: string[] = [];
    const { transport } = endpoint((line) => void logs.push(line));
    try {
      transport.deliver('t/x', serialize({ f: COORDINATOR, s: 0, m: heartbeat, a: -1 }));
      await settle();
      expect(logs.join('\n')).toMatch(/bad acknowledgement/);
    } finally {
      transport.close();
    }
  });
});
