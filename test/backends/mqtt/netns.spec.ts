/**
 * Multi-host: the broker (Mosquitto) and each node in a network namespace of its own, joined
 * by veth pairs, the coordinator in this process's namespace. A node killed with SIGKILL and
 * a node cut off the network (its link down) each end the run with a clear error within
 * 10 s, and a fresh run afterwards succeeds. Needs root (`ip netns`); skipped, with the
 * reason printed, where namespaces cannot be created.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, WorkerLostError } from '../../../src/index.js';
import { mqtt } from '../../../backends/mqtt/index.js';
import { pipeline, expected } from '../../../examples/workloads/pipeline.js';
import { slowCount } from '../../fixtures/mqttFaults.js';
import {
  freshCluster,
  reachable,
  startNodeProcess,
  type NodeProcess,
} from '../../helpers/mqttNodes.js';

const tag = randomBytes(2).toString('hex');
const net = 10 + (parseInt(tag, 16) % 200);
const ns = { broker: `d4b-${tag}`, nodes: [1, 2, 3].map((i) => `d4n${i}-${tag}`) };
const nodeEntry = fileURLToPath(new URL('../../../backends/mqtt/node.mjs', import.meta.url));

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Why namespaces cannot be used here, or undefined if they can. */
function netnsProblem(): string | undefined {
  const probe = `d4probe-${tag}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return undefined;
  } catch (error) {
    return `cannot create network namespaces (${((error as { stderr?: Buffer }).stderr?.toString() || (error as Error).message).trim()}); run as root with iproute2`;
  }
}

const problem = netnsProblem();
if (problem) console.warn(`skipping the multi-host MQTT tests: ${problem}`);

/** Joins namespace `name` to the broker's with a veth pair on subnet 10.<net>.<subnet>.0/24. */
function link(name: string | undefined, subnet: number): { brokerIp: string; device: string } {
  const a = `d4v${subnet}a${tag}`;
  const b = `d4v${subnet}b${tag}`;
  ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b);
  ip('link', 'set', b, 'netns', ns.broker);
  ip('-n', ns.broker, 'addr', 'add', `10.${net}.${subnet}.1/24`, 'dev', b);
  ip('-n', ns.broker, 'link', 'set', b, 'up');
  if (name) {
    ip('link', 'set', a, 'netns', name);
    ip('-n', name, 'addr', 'add', `10.${net}.${subnet}.2/24`, 'dev', a);
    ip('-n', name, 'link', 'set', a, 'up');
  } else {
    ip('addr', 'add', `10.${net}.${subnet}.2/24`, 'dev', a);
    ip('link', 'set', a, 'up');
  }
  return { brokerIp: `10.${net}.${subnet}.1`, device: a };
}

describe.skipIf(problem !== undefined)(
  'mqtt across network namespaces (broker and each node on its own host)',
  () => {
    let mosquitto: ChildProcess | undefined;
    const { secret, prefix } = freshCluster();
    const running: NodeProcess[] = [];
    const links: { brokerIp: string; device: string }[] = [];
    let coordinatorBroker = '';

    const backend = () =>
      mqtt({
        broker: coordinatorBroker,
        secret,
        topicPrefix: prefix,
        nodes: 2,
        heartbeatTimeoutMs: 4000,
        waitMs: 20_000,
      });

    const startNodeIn = async (i: number): Promise<NodeProcess> => {
      const node = await startNodeProcess(
        `mqtt://${links[i + 1]!.brokerIp}:1883`,
        `host${i + 1}`,
        secret,
        ['--topic-prefix', prefix],
        ['ip', 'netns', 'exec', ns.nodes[i]!, process.execPath, nodeEntry],
      );
      running.push(node);
      return node;
    };

    beforeAll(async () => {
      ip('netns', 'add', ns.broker);
      ip('-n', ns.broker, 'link', 'set', 'lo', 'up');
      for (const name of ns.nodes) {
        ip('netns', 'add', name);
        ip('-n', name, 'link', 'set', 'lo', 'up');
      }
      links.push(link(undefined, 0));
      ns.nodes.forEach((name, i) => links.push(link(name, i + 1)));
      const dir = mkdtempSync(join(tmpdir(), 'd4ts-netns-'));
      writeFileSync(
        join(dir, 'mosquitto.conf'),
        'listener 1883 0.0.0.0\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n',
      );
      mosquitto = spawn(
        'ip',
        ['netns', 'exec', ns.broker, 'mosquitto', '-c', join(dir, 'mosquitto.conf')],
        { stdio: 'ignore' },
      );
      coordinatorBroker = `mqtt://${links[0]!.brokerIp}:1883`;
      for (let i = 0; i < 50 && !(await reachable(links[0]!.brokerIp, 1883, 200)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }, 60_000);

    afterAll(async () => {
      for (const node of running) {
        node.child.kill('SIGKILL');
      }
      mosquitto?.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const name of [ns.broker, ...ns.nodes]) {
        try {
          ip('netns', 'del', name);
        } catch {
          // already gone
        }
      }
      try {
        ip('link', 'del', links[0]!.device);
      } catch {
        // deleted with its peer's namespace
      }
    });

    /** Starts slowCount on the two nodes; `breakIt` once both run; the error and its delay. */
    async function breakMidRun(
      breakIt: () => void,
      nodes: NodeProcess[],
    ): Promise<{ error: unknown; afterMs: number }> {
      const outcome = collect(slowCount, backend(), { iterations: 5_000_000 }).then(
        (r) => r as unknown,
        (e: unknown) => e,
      );
      await Promise.all(
        nodes.map((n) => n.waitFor(new RegExp(`running (?![\\s\\S]*ended)`), 30_000)),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const at = Date.now();
      breakIt();
      const error = await outcome;
      return { error, afterMs: Date.now() - at };
    }

    it('a node killed with SIGKILL mid-run ends the run with a clear error within 10 s; a fresh run succeeds', async () => {
      const n1 = await startNodeIn(0);
      const n2 = await startNodeIn(1);
      expect(await collect(pipeline, backend(), { iterations: 100_000 })).toEqual(
        expected(100_000),
      );
      const { error, afterMs } = await breakMidRun(() => void n2.child.kill('SIGKILL'), [n1, n2]);
      expect(error).toBeInstanceOf(WorkerLostError);
      expect((error as WorkerLostError).worker).toBe('node host2');
      expect((error as WorkerLostError).instances.length).toBeGreaterThan(0);
      expect(afterMs).toBeLessThan(10_000);
      console.info(`netns SIGKILL: ${(error as Error).message} (${afterMs} ms)`);
      await startNodeIn(2);
      expect(await collect(pipeline, backend(), { iterations: 100_000 })).toEqual(
        expected(100_000),
      );
    }, 120_000);

    it('a node cut off the network mid-run ends the run with a clear error within 10 s; a fresh run succeeds', async () => {
      const [n1, , n3] = running;
      const cut = links[3]!; // host3's link
      const { error, afterMs } = await breakMidRun(
        () => ip('-n', ns.nodes[2]!, 'link', 'set', cut.device, 'down'),
        [n1!, n3!],
      );
      expect(error).toBeInstanceOf(WorkerLostError);
      expect((error as WorkerLostError).worker).toBe('node host3');
      expect((error as Error).message).toMatch(/no heartbeat|last will/);
      expect(afterMs).toBeLessThan(10_000);
      console.info(`netns link down: ${(error as Error).message} (${afterMs} ms)`);
      ip('-n', ns.nodes[2]!, 'link', 'set', cut.device, 'up');
      await n3!.waitFor(/endpoint \d+: ended[\s\S]*$/, 30_000);
      expect(await collect(pipeline, backend(), { iterations: 100_000 })).toEqual(
        expected(100_000),
      );
    }, 120_000);
  },
);
