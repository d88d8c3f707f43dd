/**
 * A broker that refuses a run's subscription (an ACL): the coordinator's or a node's. Neither
 * waits for its SUBACK before going on, so the refusal arrives mid-start — and must still
 * end the run with an error saying so, not a hang.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BackendError, collect } from '../../../src/index.js';
import { mqtt, startNode, type MqttNode } from '../../../backends/mqtt/index.js';
import { pipeline, expected } from '../../../examples/workloads/pipeline.js';
import { aedesBroker, freshCluster } from '../../helpers/mqttNodes.js';

describe('mqtt backend on a broker that refuses a run subscription', () => {
  const closing: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close();
  });

  /** A broker refusing run subscriptions of clients whose id starts with `refused`, one node. */
  async function cluster(
    refused?: string,
  ): Promise<{ run: () => Promise<unknown>; node: MqttNode }> {
    const broker = await aedesBroker({
      refuse: (clientId, filter) =>
        refused !== undefined && clientId.startsWith(refused) && filter.includes('/run/'),
    });
    closing.push(() => broker.close());
    const { secret, prefix } = freshCluster();
    const node = await startNode({
      broker: broker.url,
      name: 'acl',
      secret,
      topicPrefix: prefix,
      log: () => undefined,
    });
    closing.push(() => node.close());
    const backend = mqtt({
      broker: broker.url,
      secret,
      topicPrefix: prefix,
      nodes: 1,
      log: () => undefined,
    });
    closing.push(() => backend.close());
    return { run: () => collect(pipeline, backend, { iterations: 10 }), node };
  }

  it("fails the run at once when the coordinator's subscription is refused", async () => {
    const { run } = await cluster('d4ts-coord-');
    const start = Date.now();
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/refused the subscription to .*\/run\/.*\/c\/#/);
    expect(Date.now() - start).toBeLessThan(10_000);
  });

  it("fails the run, naming the node, when a node's subscription is refused; the node is free again", async () => {
    const { run, node } = await cluster('d4ts-node-');
    const start = Date.now();
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/refused the subscription to .*\/run\/.*on node acl/);
    expect(Date.now() - start).toBeLessThan(10_000);
    expect(node.busy).toBe(0);
  });

  it('runs when the same broker refuses nothing (the control)', async () => {
    const { run } = await cluster();
    expect(await run()).toEqual(expected(10));
  });
});
