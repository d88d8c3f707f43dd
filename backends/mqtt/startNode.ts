import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { serialize } from 'node:v8';
import { assertOption, isPositiveInteger } from '../../src/dsl/options.js';
import { BackendError, WorkerLostError } from '../../src/errors.js';
import { COORDINATOR, serializeError, type Message } from '../../src/runtime/protocol.js';
import { serveWorker } from '../../src/runtime/serveWorker.js';
import { openJob, type Job } from './job.js';
import { BundleCache } from './loadBundle.js';
import { MqttLink, type BrokerOptions } from './MqttLink.js';
import { MqttTransport } from './MqttTransport.js';
import { PROTOCOL_VERSION, type Presence } from './presence.js';
import { topics as topicsUnder } from './topics.js';

/** Options of {@link startNode}. */
export interface NodeOptions extends BrokerOptions {
  /** The node's name in plans and errors. Default `<hostname>-<pid>`. */
  readonly name?: string;
  /** Endpoints (sets of PE instances) this node runs at once, across runs. Default 1. */
  readonly capacity?: number;
  /** The cluster's shared secret: only jobs signed with it are run. */
  readonly secret: string;
  /** Topic prefix of the cluster. Default `dispel4ts`. */
  readonly topicPrefix?: string;
  /** Larger messages on the run's topics are dropped (logged). Default 64 MiB. */
  readonly maxMessageBytes?: number;
  /** Keep-alive in seconds: the broker publishes this node's last will after 1.5×. Default 5. */
  readonly keepalive?: number;
  /** Where the node logs what it does and what it refuses. Default: stderr. */
  readonly log?: (line: string) => void;
}

/** A running worker node. */
export interface MqttNode {
  /** Unique id (the name and a random suffix): the node's topics use it. */
  readonly id: string;
  readonly name: string;
  /** Endpoints running now. */
  readonly busy: number;
  /**
   * Leaves cleanly: every run here is told it lost this node (naming its PE instances), the
   * node announces it is gone, its subscriptions end and it disconnects.
   */
  close(reason?: string): Promise<void>;
}

/** Jobs larger than this are dropped unread. */
const MAX_JOB_BYTES = 64 << 20;
/** A job signed longer ago than this is refused (a replay). */
const MAX_JOB_AGE_MS = 10 * 60_000;

/**
 * Starts a worker node: connects to the broker, announces itself (a heartbeat on its presence
 * topic every second, never retained; its last will says it is gone), and runs the PE
 * instances coordinators send it — one endpoint of a run per job, up to `capacity` at once.
 *
 * A job carries the workflow as a bundle (the node needs no source) and is signed with the
 * cluster's shared secret: a job that does not verify, is stale, or finds the node full is
 * refused with a logged reason, and the coordinator is told why. Malformed or oversized
 * messages on a run's topics are dropped with a logged reason. When the coordinator falls
 * silent past the run's heartbeat timeout the node ends its part of the run by itself. No
 * run leaves a subscription or a retained message behind.
 *
 * @example
 * ```ts
 * import { startNode } from 'dispel4ts/backends/mqtt';
 *
 * const node = await startNode({ broker: 'mqtt://127.0.0.1:1883', name: 'n1', secret: process.env.DISPEL4TS_SECRET! });
 * process.once('SIGTERM', () => void node.close('SIGTERM'));
 * ```
 */
export async function startNode(options: NodeOptions): Promise<MqttNode> {
  const capacity = options.capacity ?? 1;
  assertOption('startNode() options.capacity', capacity, isPositiveInteger, 'a positive integer');
  if (typeof options.secret !== 'string' || options.secret.length < 8) {
    throw new RangeError(
      'startNode() options.secret must be the cluster secret (a string of 8 or more characters)',
    );
  }
  const name = options.name ?? `${hostname()}-${process.pid}`;
  const id = `${name}-${randomBytes(3).toString('hex')}`;
  const topics = topicsUnder(options.topicPrefix);
  const log =
    options.log ??
    ((line: string) => void process.stderr.write(`[dispel4ts node ${name}] ${line}\n`));
  const maxMessageBytes = options.maxMessageBytes ?? 64 << 20;
  const cache = new BundleCache(id);
  const gone = (reason: string): Buffer =>
    serialize({ kind: 'gone', id, name, reason } satisfies Presence);
  const link = await MqttLink.connect({
    ...options,
    clientId: `d4ts-node-${id}`,
    keepalive: options.keepalive ?? 5,
    inflight: 256,
    nudgeTopic: topics.nudge,
    will: {
      topic: topics.presence(id),
      payload: gone('its connection to the broker was lost (last will)'),
    },
    onConnection: (up) =>
      log(up ? 'reconnected to the broker' : 'lost the broker connection; reconnecting'),
  });

  const endpoints = new Map<string, Endpoint>();
  let closed = false;
  const announce = (): void => {
    if (closed) return;
    const presence: Presence = {
      kind: 'here',
      id,
      name,
      capacity,
      free: capacity - endpoints.size,
      version: PROTOCOL_VERSION,
      host: hostname(),
      pid: process.pid,
    };
    link.publishNow(topics.presence(id), serialize(presence));
  };
  const heartbeat = setInterval(announce, 1000);
  heartbeat.unref();

  const refuse = (
    reason: string,
    where: { reply?: string; run?: string; endpoint?: number },
  ): void => {
    log(`refused a job${where.run ? ` for run ${where.run}` : ''}: ${reason}`);
    const { reply, endpoint } = where;
    if (
      !reply ||
      endpoint === undefined ||
      !reply.startsWith(topics.endpoint(where.run ?? '', COORDINATOR))
    )
      return;
    const error = new BackendError('mqtt', `node ${name} refused the job: ${reason}`);
    const message: Message = { kind: 'error', from: endpoint, error: serializeError(error) };
    link.publishNow(reply, serialize({ f: endpoint, s: 0, m: message }));
  };

  const accept = (job: Job): void => {
    const key = `${job.run}/${job.endpoint}`;
    if (endpoints.has(key)) return; // the same job redelivered
    const endpoint = new Endpoint(job, link, topics, name, cache, maxMessageBytes, log, () => {
      endpoints.delete(key);
      announce();
    });
    endpoints.set(key, endpoint);
    announce();
    try {
      endpoint.begin();
    } catch (error) {
      endpoint.release(`failed to start: ${(error as Error).message}`);
      refuse((error as Error).message, {
        reply: topics.endpoint(job.run, COORDINATOR),
        run: job.run,
        endpoint: job.endpoint,
      });
    }
  };

  await link.subscribe(topics.job(id), (_topic, payload) => {
    if (payload.length > MAX_JOB_BYTES) {
      log(`dropped a job of ${payload.length} bytes (over ${MAX_JOB_BYTES})`);
      return;
    }
    const opened = openJob(options.secret, payload, id, MAX_JOB_AGE_MS);
    if ('refused' in opened) {
      refuse(opened.refused, opened);
      return;
    }
    const { job } = opened;
    if (!endpoints.has(`${job.run}/${job.endpoint}`) && endpoints.size >= capacity) {
      refuse(`it is busy (all ${capacity} slots in use)`, {
        reply: topics.endpoint(job.run, COORDINATOR),
        run: job.run,
        endpoint: job.endpoint,
      });
      return;
    }
    accept(job);
  });
  await link.subscribe(topics.discover, () => announce());
  announce();
  log(`joined ${options.broker} as ${id} (capacity ${capacity})`);

  return {
    id,
    name,
    get busy() {
      return endpoints.size;
    },
    async close(reason = 'it was stopped') {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      for (const endpoint of [...endpoints.values()]) endpoint.leave(reason);
      link.publishNow(topics.presence(id), gone(reason));
      await link.end();
      cache.clear();
      log(`left (${reason})`);
    },
  };
}

/** One endpoint of one run on this node, from its job to its release. */
class Endpoint {
  private transport: MqttTransport | undefined;
  private stopServing: (() => void) | undefined;
  private watch: ReturnType<typeof setInterval> | undefined;
  private released = false;
  private readonly filter: string;

  constructor(
    private readonly job: Job,
    private readonly link: MqttLink,
    private readonly topics: ReturnType<typeof topicsUnder>,
    private readonly node: string,
    private readonly cache: BundleCache,
    private readonly maxMessageBytes: number,
    private readonly log: (line: string) => void,
    private readonly onReleased: () => void,
  ) {
    this.filter = topics.endpointAll(job.run, job.endpoint);
  }

  private get label(): string {
    return `run ${this.job.run} endpoint ${this.job.endpoint}`;
  }

  begin(): void {
    const { job } = this;
    const module = this.cache.file(job.bundle, job.bundleHash);
    const transport = new MqttTransport({
      self: job.endpoint,
      run: job.run,
      link: this.link,
      topics: this.topics,
      graph: job.assignment.spec.graph,
      workers: job.workers,
      peers: [COORDINATOR],
      maxMessageBytes: this.maxMessageBytes,
      gapTimeoutMs: job.gapTimeoutMs,
      onLoss: (_from, reason) => {
        this.sendError(new BackendError('mqtt', `node ${this.node}: ${reason}`));
        this.release(`messages lost: ${reason}`);
      },
      log: (line) => this.log(`${this.label}: ${line}`),
    });
    this.transport = transport;
    // Silence from the coordinator counts from when this endpoint is ready: while the workflow
    // loads, a module's top-level code may hold this node's event loop past the timeout, and
    // what the coordinator sent meanwhile is still waiting to be read.
    let readyAt: number | undefined;
    transport.onSend = (to, message) => {
      if (to === COORDINATOR && message.kind === 'ready') readyAt = Date.now();
      if (to === COORDINATOR && (message.kind === 'done' || message.kind === 'error')) {
        setImmediate(() => this.release(message.kind === 'done' ? 'done' : 'failed'));
      }
    };
    transport.onReceive = (message) => {
      if (message.kind === 'stop') setImmediate(() => this.release('stopped by the coordinator'));
    };
    // Not waiting for the SUBACK (1-2 ms a run): the broker takes this connection's packets in
    // order, so the subscription is in place before the `ready` sent after it reaches the
    // coordinator — and nothing is published to these topics before that `ready` has, and the
    // coordinator's `start` has come back.
    this.link
      .subscribe(this.filter, (topic, payload) => transport.deliver(topic, payload))
      .catch((error: unknown) => {
        this.sendError(error as Error);
        this.release(`cannot subscribe: ${(error as Error).message}`);
      });
    this.stopServing = serveWorker('mqtt', transport);
    this.watch = setInterval(() => {
      if (readyAt === undefined) return; // loading: the coordinator's startup limit applies
      const heard = Math.max(readyAt, transport.lastHeard(COORDINATOR) ?? 0);
      if (Date.now() - heard > job.heartbeatTimeoutMs) {
        this.release(
          `the coordinator has been silent for ${Math.round((Date.now() - heard) / 1000)} s`,
        );
      }
    }, 1000);
    this.watch.unref();
    this.log(`${this.label}: running ${this.instances().join(', ') || 'no instances'}`);
    transport.inject({ kind: 'assign', assignment: { ...job.assignment, module } });
  }

  /** The PE instances this endpoint runs, as `PE[i]`. */
  instances(): string[] {
    return Object.entries(this.job.assignment.plan.placement).flatMap(([pe, endpoints]) =>
      endpoints.flatMap((endpoint, i) => (endpoint === this.job.endpoint ? [`${pe}[${i}]`] : [])),
    );
  }

  /** The node is leaving: the run learns which instances it loses. */
  leave(reason: string): void {
    this.sendError(new WorkerLostError('mqtt', `node ${this.node}`, this.instances(), reason));
    this.release(`node leaving: ${reason}`);
  }

  private sendError(error: Error): void {
    try {
      this.transport?.send(COORDINATOR, {
        kind: 'error',
        from: this.job.endpoint,
        error: serializeError(error),
      });
    } catch {
      // the transport is closed: the coordinator learns from the last will or the silence
    }
  }

  release(why: string): void {
    if (this.released) return;
    this.released = true;
    if (this.watch) clearInterval(this.watch);
    this.stopServing?.();
    this.transport?.close();
    void this.link.unsubscribe(this.filter);
    this.log(`${this.label}: ended (${why})`);
    this.onReleased();
  }
}
