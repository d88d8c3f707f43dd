import { availableParallelism } from 'node:os';
import { Observable, type Subscription } from 'rxjs';
import type { Backend } from '../../src/backend.js';
import { flowOptions } from '../../src/runtime/flowOptions.js';
import { assertOption, isPositiveInteger } from '../../src/dsl/options.js';
import { BackendError } from '../../src/errors.js';
import type { WorkflowGraph } from '../../src/graph/WorkflowGraph.js';
import {
  formatPlan,
  planInstances,
  producersOnCoordinator,
  type ExecutionPlan,
  type ProducerPlacement,
} from '../../src/plan/plan.js';
import { moduleOf } from '../../src/runtime/loadWorkflow.js';
import { runDistributed } from '../../src/runtime/runDistributed.js';
import { bundleWorkflow } from './bundleWorkflow.js';
import { Coordinator, type CoordinatorOptions } from './Coordinator.js';
import { CoordinatorLink, type CoordinatorLinkOptions } from './CoordinatorLink.js';
import { LocalCluster } from './LocalCluster.js';
import type { BrokerOptions } from './MqttLink.js';
import { topics as topicsUnder } from './topics.js';

/** Options of {@link mqtt}. */
export interface MqttOptions extends Partial<BrokerOptions> {
  /**
   * The broker, `mqtt://host:1883` (or mqtts://, ws://). Without one, an embedded broker
   * (aedes) is started on a loopback port with `nodes` local nodes.
   */
  readonly broker?: string;
  /**
   * The cluster's shared secret, which signs every job (nodes run nothing else). Default:
   * the `DISPEL4TS_SECRET` environment variable; the embedded cluster makes its own.
   */
  readonly secret?: string;
  /**
   * Nodes to run on: wait (up to `waitMs`) for this many free nodes and use them. Default:
   * every free node that answers within `discoverMs`; embedded: the number of cores.
   */
  readonly nodes?: number;
  /** How long to listen for nodes when `nodes` is not given. Default 1000 ms. */
  readonly discoverMs?: number;
  /** How long to wait for `nodes` free nodes. Default 30 000 ms. */
  readonly waitMs?: number;
  /** PE names to co-locate on one endpoint each (dispel4py's `graph.partitions`). */
  readonly partitions?: readonly (readonly string[])[];
  /**
   * Where producers not named in a partition run. `'workers'` (the default): dealt to the
   * nodes like any PE (a producer reading a node's local files). `'coordinator'`: in the
   * process that runs the workflow, so the nodes share the other PEs evenly (W3 on 2 nodes:
   * 1.28× one node instead of 1.17×; but with heavy payloads — xcorr — the coordinator's
   * output through the broker delayed node heartbeats past 5 s).
   */
  readonly producers?: ProducerPlacement;
  /** Items per batch (one MQTT message). Default 4096. */
  readonly batchSize?: number;
  /**
   * Batches in flight per channel, at most (lowered so the messages in flight towards any
   * one node stay under Mosquitto's default queue of 1,000). Default 64.
   */
  readonly window?: number;
  /** A node silent this long is declared lost. Default 5000 ms. */
  readonly heartbeatTimeoutMs?: number;
  /** A message missing this long behind later ones fails the run (loss). Default 3000 ms. */
  readonly gapTimeoutMs?: number;
  /** A broker connection down this long mid-run fails it. Default 3000 ms. */
  readonly reconnectGraceMs?: number;
  /** Largest message on a run's topics. Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /** Topic prefix of the cluster. Default `dispel4ts`. */
  readonly topicPrefix?: string;
  /** Embedded cluster: how long it stays, idle, for the next run. Default 2000 ms. */
  readonly idleMs?: number;
  /**
   * How long the coordinator's broker connection stays open after a run, for the next one
   * (which then starts without connecting or discovering the nodes again). Default 250 ms;
   * 0 closes it with each run.
   */
  readonly lingerMs?: number;
  /** Where the coordinator (and embedded nodes, when set) log. Default: nothing. */
  readonly log?: (line: string) => void;
}

/** The plan of a run over MQTT: endpoints, and the node each runs on. */
export interface MqttPlan extends ExecutionPlan {
  /** `nodes[w]`: the name of the node of endpoint `w`. */
  readonly nodes: readonly string[];
}

/** The MQTT backend, which can also print its plan for a graph and stop its embedded cluster. */
export interface MqttBackend extends Backend {
  /** Discovers the nodes and places every PE instance of `graph` on them. */
  plan(graph: WorkflowGraph): Promise<MqttPlan>;
  /**
   * Closes the coordinator's broker connection kept for the next run, and stops the embedded
   * broker and local nodes (both also end by themselves when idle).
   */
  close(): Promise<void>;
}

/** Messages towards one node kept under this (Mosquitto queues 1,000 per client by default). */
const QUEUE_BUDGET = 600;

/**
 * The MQTT backend: PE instances run on worker nodes (`dispel4ts node --broker URL`, or
 * {@link startNode}) joined through an MQTT broker (dispel4py's remote mapping over a
 * battle-tested broker: Mosquitto, EMQX, HiveMQ, VerneMQ; aedes embedded). The coordinator
 * discovers the live nodes, places the instances on them, ships the workflow as a bundle
 * signed with the cluster secret, streams the results back and tears the run down; with no
 * broker URL it starts an embedded broker and local nodes itself.
 *
 * Items travel in batches (all-number batches as raw Float64Arrays), one MQTT message per
 * batch at QoS 1, on per-run, per-instance topics; the receiver applies each sequence number
 * once and in order, and the runtime's end-to-end credits bound what is in flight — which is
 * what keeps a broker that drops QoS 1 messages to slow subscribers from losing any. The
 * sender picks the receiving instance (grouping), so any MQTT 3.1.1 broker works.
 *
 * A node that dies (last will) or falls silent past `heartbeatTimeoutMs`, a broker that
 * stays away past `reconnectGraceMs`, a lost message, or a throwing PE ends the run with an
 * error naming the node and its PE instances (or PE, instance and item). No run leaves a
 * retained message or a subscription behind.
 *
 * @example
 * ```ts
 * import { collect } from 'dispel4ts';
 * import { mqtt } from 'dispel4ts/backends/mqtt';
 *
 * // embedded broker and local nodes:
 * const { Sum } = await collect(pipeline, mqtt(), { iterations: 1_000_000 });
 * // nodes started with `dispel4ts node --broker mqtt://10.0.0.5:1883`:
 * await collect(pipeline, mqtt({ broker: 'mqtt://10.0.0.5:1883', nodes: 2 }), { iterations: 1e6 });
 * ```
 */
export function mqtt(options: MqttOptions = {}): MqttBackend {
  const embedded = options.broker === undefined;
  const nodes = options.nodes ?? (embedded ? availableParallelism() : undefined);
  if (nodes !== undefined)
    assertOption('mqtt() options.nodes', nodes, isPositiveInteger, 'a positive integer');
  const { batchSize, window, heartbeatTimeoutMs } = flowOptions('mqtt', options, {
    batchSize: 4096,
    window: 64,
    heartbeatTimeoutMs: 5000,
  });
  const topics = topicsUnder(options.topicPrefix);
  const log = options.log ?? (() => undefined);
  const pool = new LocalPool(nodes ?? 1, options.idleMs ?? 2000, options.log === undefined);

  /** Where to connect, with which secret, expecting how many nodes. */
  const target = async (): Promise<{ url: string; secret: string; cluster?: LocalCluster }> => {
    if (!embedded) {
      const secret = options.secret ?? process.env.DISPEL4TS_SECRET;
      if (!secret) {
        throw new BackendError(
          'mqtt',
          'no cluster secret: pass mqtt({ secret }) or set DISPEL4TS_SECRET (nodes must be started with the same secret)',
        );
      }
      return { url: options.broker!, secret };
    }
    const cluster = await pool.acquire();
    return { url: cluster.url, secret: cluster.secret, cluster };
  };

  const links = new LinkPool({ ...options, topics, lingerMs: options.lingerMs ?? 250 });
  const connect = async (url: string, secret: string): Promise<Coordinator> => {
    const coordinatorOptions: CoordinatorOptions = {
      broker: url,
      secret,
      topics,
      heartbeatTimeoutMs,
      gapTimeoutMs: options.gapTimeoutMs ?? 3000,
      maxMessageBytes: options.maxMessageBytes ?? 64 << 20,
      reconnectGraceMs: options.reconnectGraceMs ?? 3000,
      log,
    };
    return new Coordinator(coordinatorOptions, await links.acquire(url));
  };

  const onCoordinator = producersOnCoordinator('mqtt', options.producers ?? 'workers');
  const placeOn = (graph: WorkflowGraph, endpoints: number): ExecutionPlan =>
    planInstances(graph, endpoints, options.partitions, { producersOnCoordinator: onCoordinator });

  return {
    name: 'mqtt',
    async plan(graph) {
      const { url, secret, cluster } = await target();
      const coordinator = await connect(url, secret);
      try {
        const chosen = await coordinator.discover(
          nodes,
          options.discoverMs ?? 1000,
          options.waitMs ?? 30_000,
        );
        const names = chosen.flatMap((n) => n.endpoints.map(() => n.name));
        return { ...placeOn(graph, names.length), nodes: names };
      } finally {
        await coordinator.end();
        if (cluster) await pool.release(cluster, true);
      }
    },
    close: async () => {
      await links.close();
      await pool.close();
    },
    execute: (workflow, spec) =>
      new Observable((results) => {
        let closed = false;
        let inner: Subscription | undefined;
        let coordinator: Coordinator | undefined;
        let cluster: LocalCluster | undefined;
        const abandon = (): void => {
          void coordinator?.end(false);
          if (cluster) void pool.release(cluster, false);
        };
        void (async () => {
          const module = moduleOf('mqtt', workflow);
          const bundling = bundleWorkflow(module);
          bundling.catch(() => undefined);
          const found = await target();
          cluster = found.cluster;
          coordinator = await connect(found.url, found.secret);
          if (closed) return abandon();
          const chosen = await coordinator.discover(
            nodes,
            options.discoverMs ?? 1000,
            options.waitMs ?? 30_000,
          );
          const endpoints = chosen.reduce((n, c) => n + c.endpoints.length, 0);
          const plan = placeOn(spec.graph, endpoints);
          const bundle = await bundling;
          if (closed) return abandon();
          log(
            `run ${coordinator.run} on ${chosen.map((n) => n.name).join(', ')}:\n${formatPlan(plan)}`,
          );
          const c = coordinator;
          const local = cluster;
          inner = runDistributed(workflow, spec, {
            backend: 'mqtt',
            plan,
            batchSize,
            window: Math.max(
              1,
              Math.min(window, Math.floor(QUEUE_BUDGET / maxChannels(spec.graph, plan))),
            ),
            heartbeatTimeoutMs,
            launch: () =>
              c.cluster(spec.graph, bundle, (clean) =>
                local ? pool.release(local, clean) : Promise.resolve(),
              ),
          }).subscribe(results);
        })().catch((error: unknown) => {
          abandon();
          results.error(error);
        });
        return () => {
          closed = true;
          inner?.unsubscribe();
        };
      }),
  };
}

/** The most channels into and out of one endpoint under `plan` (at least 1). */
function maxChannels(graph: WorkflowGraph, plan: ExecutionPlan): number {
  const count = new Map<number, number>();
  const add = (endpoint: number): void => void count.set(endpoint, (count.get(endpoint) ?? 0) + 1);
  for (const connection of graph.connections) {
    const from = plan.placement[connection.from.pe] ?? [];
    const to = plan.placement[connection.to.pe] ?? [];
    for (const a of from) {
      for (const b of to) {
        if (a === b) continue;
        add(a);
        add(b);
      }
    }
  }
  return Math.max(1, ...count.values());
}

/**
 * The embedded cluster kept between runs: a run leaves it for `idleMs` (its threads never
 * keep the process alive), for the next run to reuse; a cluster that lost a thread is
 * stopped.
 */
class LocalPool {
  private cluster: Promise<LocalCluster> | undefined;
  private users = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly nodes: number,
    private readonly idleMs: number,
    private readonly quiet: boolean,
  ) {}

  async acquire(): Promise<LocalCluster> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const current = this.cluster ? await this.cluster.catch(() => undefined) : undefined;
    if (!current || !current.alive) {
      if (current) void current.stop();
      this.cluster = LocalCluster.start(this.nodes, this.quiet);
      this.cluster.catch(() => {
        this.cluster = undefined;
      });
    }
    const cluster = await this.cluster!;
    this.users++;
    return cluster;
  }

  async release(cluster: LocalCluster, _clean: boolean): Promise<void> {
    this.users = Math.max(0, this.users - 1);
    if (!cluster.alive) {
      if (this.users === 0) await this.close();
      return;
    }
    // A failed or cancelled run's nodes were told to stop (or free themselves once the
    // coordinator is silent): the cluster stays usable either way.
    if (this.users > 0) return;
    if (this.idleMs === 0) return this.close();
    this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    this.idleTimer.unref();
  }

  async close(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (cluster) await (await cluster.catch(() => undefined))?.stop();
  }
}

/**
 * The coordinator's broker connection kept between the runs of one backend (see
 * {@link CoordinatorLink}): reused while it is usable and its broker is the one asked for.
 */
class LinkPool {
  private current: { url: string; link: Promise<CoordinatorLink> } | undefined;

  constructor(private readonly options: Omit<CoordinatorLinkOptions, 'broker'>) {}

  async acquire(url: string): Promise<CoordinatorLink> {
    const current = this.current;
    if (current?.url === url) {
      const link = await current.link.catch(() => undefined);
      if (link?.usable) return link;
    }
    const link = CoordinatorLink.open({ ...this.options, broker: url });
    this.current = { url, link };
    link.catch(() => {
      if (this.current?.link === link) this.current = undefined;
    });
    return link;
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    const link = await current?.link.catch(() => undefined);
    await link?.end();
  }
}
