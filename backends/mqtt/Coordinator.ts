import { randomBytes } from 'node:crypto';
import { BackendError } from '../../src/errors.js';
import type { WorkflowGraph } from '../../src/graph/WorkflowGraph.js';
import { COORDINATOR, serializeError, type Message } from '../../src/runtime/protocol.js';
import { STARTUP_TIMEOUT_MS, type Cluster } from '../../src/runtime/runDistributed.js';
import type { CoordinatorLink, LinkListener } from './CoordinatorLink.js';
import { hashBundle, sealJob } from './job.js';
import type { MqttLink } from './MqttLink.js';
import { MQTT_BYTE_NS, MQTT_MESSAGE_NS, MqttTransport } from './MqttTransport.js';
import type { Topics } from './topics.js';

/** What the coordinator of one run needs. */
export interface CoordinatorOptions {
  /** The broker's URL, for messages. */
  readonly broker: string;
  readonly secret: string;
  readonly topics: Topics;
  readonly heartbeatTimeoutMs: number;
  readonly gapTimeoutMs: number;
  readonly maxMessageBytes: number;
  /** How long a dropped broker connection may stay down before the run fails. */
  readonly reconnectGraceMs: number;
  readonly log: (line: string) => void;
}

/** A node chosen for a run, with the endpoints it runs. */
export interface ChosenNode {
  readonly id: string;
  readonly name: string;
  readonly endpoints: readonly number[];
}

/**
 * @internal The coordinator's side of one run over MQTT, on a {@link CoordinatorLink} it may
 * share with other runs: node discovery from the presence the link keeps, and the
 * {@link Cluster} runDistributed drives — jobs sealed with the cluster secret, the run's
 * messages through an {@link MqttTransport} on the run's own topics (subscribed for the run,
 * unsubscribed when it ends; neither waited for), lost nodes from their last will or `gone`
 * message.
 */
export class Coordinator implements LinkListener {
  readonly run = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  private chosen: ChosenNode[] = [];
  private lost: (worker: number, reason: string) => void = () => undefined;
  private transport: MqttTransport | undefined;
  private subscribed: string | undefined;
  /** Why the run failed before the shared runtime listened, and whether it does now. */
  private failure: Error | undefined;
  private handling = false;
  private downTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  /** When our broker connection last came back: nodes are not blamed for that outage. */
  private reconnectedAt = 0;
  private workers = 0;
  private ended = false;
  private readonly link: MqttLink;

  constructor(
    private readonly options: CoordinatorOptions,
    private readonly shared: CoordinatorLink,
  ) {
    this.link = shared.link;
    shared.acquire(this);
  }

  /** A node said it is gone: the run loses the endpoints it ran. */
  gone(id: string, reason: string): void {
    const node = this.chosen.find((n) => n.id === id);
    if (node)
      for (const endpoint of node.endpoints) this.lost(endpoint, `the node is gone: ${reason}`);
  }

  /**
   * Chooses the nodes of the run: `count` of them (waiting up to `waitMs` for that many with
   * a free slot), or, with no count, every free node heard from within `discoverMs` of the
   * link opening. Each gives one endpoint per free slot. Nodes are taken in name order.
   */
  async discover(
    count: number | undefined,
    discoverMs: number,
    waitMs: number,
  ): Promise<ChosenNode[]> {
    const { shared } = this;
    // Every free node: those that answer within discoverMs of the link opening, and those a
    // run here has just used once they say they are free again (a moment after it ended).
    const deadline =
      count === undefined
        ? Math.max(shared.openedAt + discoverMs, shared.releasing ? Date.now() + discoverMs : 0)
        : Date.now() + waitMs;
    const enough = (): boolean =>
      count === undefined
        ? Date.now() >= shared.openedAt + discoverMs && !shared.releasing
        : shared.free().length >= count;
    while (Date.now() < deadline && !enough()) await shared.nextPresence(deadline - Date.now());
    const nodes = shared.free().slice(0, count);
    if (nodes.length === 0 || (count !== undefined && nodes.length < count)) {
      throw new BackendError(
        'mqtt',
        `found ${nodes.length} free node(s) on ${this.options.broker}${count !== undefined ? `, need ${count}` : ''}: start nodes with \`dispel4ts node --broker ${this.options.broker}\` (same cluster secret and topic prefix)`,
      );
    }
    let next = 0;
    this.chosen = nodes.map((n) => ({
      id: n.id,
      name: n.name,
      endpoints: Array.from({ length: n.free }, () => next++),
    }));
    return this.chosen;
  }

  /** The cluster of the run over the chosen nodes; the workflow is shipped as `bundle`. */
  async cluster(
    graph: WorkflowGraph,
    bundle: string,
    release: (clean: boolean) => Promise<void>,
  ): Promise<Cluster> {
    const { topics } = this.options;
    const workers = this.chosen.reduce((n, node) => n + node.endpoints.length, 0);
    this.workers = workers;
    const nodeOf = (endpoint: number): ChosenNode | undefined =>
      this.chosen.find((n) => n.endpoints.includes(endpoint));
    const transport = new MqttTransport({
      self: COORDINATOR,
      run: this.run,
      link: this.link,
      topics,
      graph,
      workers,
      peers: Array.from({ length: workers }, (_, w) => w),
      maxMessageBytes: this.options.maxMessageBytes,
      gapTimeoutMs: this.options.gapTimeoutMs,
      onLoss: (from, reason) => this.lost(from === COORDINATOR ? 0 : from, reason),
      log: this.options.log,
    });
    this.transport = transport;
    this.subscribed = topics.endpointAll(this.run, COORDINATOR);
    // Not waiting for the SUBACK (0.3-3 ms a run): the broker takes this connection's packets
    // in order, so the subscription is in place before the jobs sent after it reach the nodes,
    // and nodes answer only jobs. A refusal fails the run.
    this.link
      .subscribe(this.subscribed, (topic, payload) => transport.deliver(topic, payload))
      .catch((error: unknown) => this.fail(error as Error));
    // A node silent past the heartbeat timeout is lost — once it is ready. While it loads
    // the workflow it may be silent for as long as the shared runtime allows (a minute): a
    // module's top-level code can hold the event loop for longer than a heartbeat.
    const assignedAt = new Map<number, number>();
    const ready = new Set<number>();
    this.watchdog = setInterval(() => {
      const now = Date.now();
      if (this.downTimer) return; // our own connection is down: the grace timer decides
      for (const [endpoint, at] of assignedAt) {
        const heard = Math.max(at, this.reconnectedAt, transport.lastHeard(endpoint) ?? 0);
        const limit = ready.has(endpoint)
          ? this.options.heartbeatTimeoutMs
          : Math.max(this.options.heartbeatTimeoutMs, STARTUP_TIMEOUT_MS);
        if (now - heard > limit) {
          assignedAt.delete(endpoint);
          this.lost(
            endpoint,
            `no heartbeat for ${Math.round((now - heard) / 1000)} s (heartbeatTimeoutMs ${this.options.heartbeatTimeoutMs})`,
          );
        }
      }
    }, 500);
    this.watchdog.unref();
    const bundleHash = hashBundle(bundle);
    const reply = topics.endpoint(this.run, COORDINATOR);
    return {
      transport: {
        self: COORDINATOR,
        copiesOnSend: true,
        messageNs: MQTT_MESSAGE_NS,
        byteNs: MQTT_BYTE_NS,
        send: (to, message) => {
          if (message.kind !== 'assign') {
            transport.send(to, message);
            return;
          }
          const node = nodeOf(to)!;
          const sealed = sealJob(
            this.options.secret,
            {
              version: 1,
              issuedAt: Date.now(),
              run: this.run,
              node: node.id,
              endpoint: to,
              workers,
              heartbeatTimeoutMs: this.options.heartbeatTimeoutMs,
              gapTimeoutMs: this.options.gapTimeoutMs,
              maxMessageBytes: this.options.maxMessageBytes,
              assignment: message.assignment,
              bundle,
              bundleHash,
            },
            reply,
          );
          this.link.publish(topics.job(node.id), sealed);
          assignedAt.set(to, Date.now());
        },
        // An error from a node says which node it was: a `node` field, and the node in its message.
        onMessage: (handler) => {
          this.handling = true;
          if (this.failure) queueMicrotask(() => this.fail(this.failure!));
          transport.onMessage((message) => {
            if (message.kind === 'ready') ready.add(message.from);
            if (message.kind !== 'error' || message.from === COORDINATOR) return handler(message);
            const node = nodeOf(message.from);
            if (!node || 'node' in message.error.fields || message.error.name === 'WorkerLostError')
              return handler(message);
            handler({
              ...message,
              error: {
                ...message.error,
                message: `${message.error.message} (on node ${node.name})`,
                fields: { ...message.error.fields, node: node.name },
              },
            });
          });
        },
        close: () => transport.close(),
      },
      describe: (worker) => {
        const node = this.chosen.find((n) => n.endpoints.includes(worker));
        return node ? `node ${node.name}` : `endpoint ${worker}`;
      },
      onLost: (callback) => {
        this.lost = callback;
      },
      shutdown: async (clean) => {
        this.lost = () => undefined;
        await this.end(clean);
        await release(clean);
      },
    };
  }

  /**
   * The run cannot go on (the broker refused its subscription): it fails with `error`, as soon
   * as the shared runtime listens.
   */
  private fail(error: Error): void {
    this.failure = error;
    if (this.ended || !this.handling) return;
    this.transport?.inject({ kind: 'error', from: COORDINATOR, error: serializeError(error) });
  }

  /** The broker connection dropped or came back: a drop longer than the grace fails the run. */
  connection(up: boolean): void {
    if (up) {
      if (this.downTimer) clearTimeout(this.downTimer);
      this.downTimer = undefined;
      // The outage silenced every node too: restart their heartbeat clocks (in the shared
      // runtime as well). A node really lost is found a heartbeat timeout later; a message
      // lost in the outage shows as a gap.
      this.reconnectedAt = Date.now();
      for (let w = 0; w < this.workers; w++) this.transport?.inject({ kind: 'heartbeat', from: w });
      return;
    }
    if (this.ended || this.downTimer) return;
    this.downTimer = setTimeout(() => {
      if (this.ended) return;
      const error = new BackendError(
        'mqtt',
        `lost the connection to broker ${this.options.broker} for over ${this.options.reconnectGraceMs} ms mid-run`,
      );
      const message: Message = { kind: 'error', from: COORDINATOR, error: serializeError(error) };
      this.transport?.inject(message);
    }, this.options.reconnectGraceMs);
  }

  /**
   * Ends the run's part here: its topics are unsubscribed and the link released (`clean`: the
   * run succeeded, and the link may serve the next).
   */
  async end(clean = true): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.downTimer) clearTimeout(this.downTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.transport?.close();
    if (this.transport) this.shared.released(this.chosen.map((n) => n.id));
    if (this.subscribed) void this.link.unsubscribe(this.subscribed);
    await this.shared.release(this, clean);
  }
}
