import { EMPTY, isObservable, Observable, Subscription, type Subscriber } from 'rxjs';
import { remainingOf, type InstanceContext, type ProducerOutput } from '../dsl/definition.js';
import { PEError } from '../errors.js';
import type { TracedWorkflow } from '../graph/trace.js';
import type { Connection, PENode } from '../graph/WorkflowGraph.js';
import { createRoute } from '../plan/routing.js';
import { Channel, giveBatchBuffer } from './Channel.js';
import { loadAwareShuffle } from './loadAwareShuffle.js';
import { InputFeed, NOTHING, type InstanceFeeds } from './InputFeed.js';
import { COORDINATOR, serializeError, type ChannelRef, type Message, type RunAssignment } from './protocol.js';
import { ConnectionSink, DrainSink, OutputSink, type Target } from './sinks.js';
import { Tee } from './Tee.js';
import type { Transport } from './Transport.js';
import { probeInputs, probeOutputs } from './probes.js';
import { RunStats } from './RunStats.js';

/** Items a producer pushes between two looks at the event loop (credits, other data). */
const PRODUCER_SLICE = 4096;
/**
 * At most this long (ms) per producer slice, checked every {@link SLICE_CHECK} items: when the
 * items feed costly instances on this endpoint, the batches for the other endpoints go out
 * (at the end of the slice) while there is still work for them, instead of after 4096 items.
 */
const SLICE_MS = 1;
const SLICE_CHECK = 64;
/** The largest per-item cost a credit reports (ns): 1 s; it fits the wire's int32. */
const MAX_ITEM_NS = 1e9;
/** At most this long (ms) processing received messages before the event loop is let in. */
const INBOX_SLICE_MS = 0.5;

/**
 * @internal Runs the PE instances a plan gives one endpoint (a worker thread, an MPI rank, an
 * MQTT node, or the coordinator for the workflow's input), shared by every distributed
 * backend.
 *
 * Items between instances here are pushed synchronously, as in the sequential engine; items
 * for instances elsewhere go into {@link Channel}s (batched, credit flow control) and arrive
 * as `data` messages, which feed the local instance's {@link InputFeed}. A message is
 * processed, and its credit returned, only when no channel reachable from the receiving
 * instance through local connections is blocked; otherwise it waits here, in order. Because
 * this follows the graph's direction and the graph is a DAG, it never deadlocks, wherever
 * instances are placed. Producers pull their iterators only while they are not blocked.
 */
export class WorkerRuntime {
  private readonly graph;
  private readonly self: number;
  private readonly subscriptions = new Subscription();
  private readonly feeds = new Map<string, InputFeed[]>();
  private readonly lastItems = new Map<string, () => unknown>();
  private readonly channels = new Map<string, Channel>();
  /** Per local instance (`pe\0i`): the channels whose blocking stalls it. */
  private readonly watch = new Map<string, Channel[]>();
  private readonly deferred: Message[] = [];
  /** Data and ends of stream received and not yet looked at (from {@link inboxHead} on). */
  private readonly inbox: ((Message & ChannelRef) | undefined)[] = [];
  private inboxHead = 0;
  private drainScheduled = false;
  private readonly heldChannels = new Map<string, number>();
  private readonly dirty = new Set<Channel>();
  private readonly results = new Map<string, unknown[]>();
  private readonly starts: (() => void)[] = [];
  private readonly producerStarts: (() => void)[] = [];
  private resumeWaiters: (() => void)[] = [];
  private blockedCount = 0;
  private resultCount = 0;
  private open = 0;
  private flushScheduled = false;
  private ended = false;
  private doneSent = false;

  /** This endpoint's counters, when the run counts (or times) its PE instances. */
  readonly stats: RunStats | undefined;

  /**
   * @param stats where to count, for the coordinator's own instances (the caller's
   *   RunStats); workers make their own when the assignment asks for counts or timing
   */
  constructor(
    private readonly traced: TracedWorkflow,
    private readonly assignment: RunAssignment,
    private readonly transport: Transport,
    private readonly input?: Observable<unknown>,
    stats?: RunStats,
  ) {
    this.graph = assignment.spec.graph;
    this.self = transport.self;
    this.stats =
      stats ??
      (assignment.counts || assignment.timing
        ? new RunStats({ timing: assignment.timing === true })
        : undefined);
  }

  /** The run this runtime serves. */
  get runId(): string {
    return this.assignment.runId;
  }

  /** Builds every local instance and subscribes it; throws if a PE's function throws. */
  prepare(): void {
    const { graph } = this;
    const nodes = new Map(graph.nodes.map((n) => [n.name, n]));
    for (const node of graph.nodes) {
      for (const instance of this.localInstances(node)) {
        const shared: InstanceFeeds | undefined = node.inputs.length > 1 ? { latest: undefined } : undefined;
        const ports = node.inputs.map(() => new InputFeed(shared));
        node.inputs.forEach((port, p) => {
          const list = this.feeds.get(portKey(node.name, port)) ?? [];
          list[instance] = ports[p]!;
          this.feeds.set(portKey(node.name, port), list);
        });
        this.lastItems.set(instanceKey(node.name, instance), () => (shared ? shared.latest : ports[0])?.last ?? NOTHING);
      }
    }
    for (const connection of graph.connections) {
      for (const feed of this.feeds.get(portKey(connection.to.pe, connection.to.port)) ?? []) {
        if (feed) feed.pending += nodes.get(connection.from.pe)!.instances;
      }
    }
    for (const node of graph.nodes) {
      for (const instance of this.localInstances(node)) this.build(node, instance, nodes);
    }
    for (const node of graph.nodes) {
      for (const instance of this.localInstances(node)) {
        this.watch.set(instanceKey(node.name, instance), this.channelsReachable(node.name, instance));
      }
    }
    if (this.open === 0) this.ended = true;
    for (const start of this.starts) start();
  }

  /** Starts the local producers: called once every endpoint is ready. */
  start(): void {
    for (const start of this.producerStarts) start();
    if (this.ended) this.finish();
  }

  /** Handles a data, end-of-stream, credit or stop message. */
  receive(message: Message): void {
    // A late message of an earlier run on the same (pooled) workers is not ours.
    if ('run' in message && message.run !== this.assignment.runId) return;
    switch (message.kind) {
      case 'data':
      case 'eos':
        this.inbox.push(message);
        this.scheduleDrain();
        return;
      case 'credit': {
        const channel = this.channels.get(channelKey(message));
        if (channel) channel.grant(message.messages, message.itemNs, message.buffer);
        else if (message.buffer) giveBatchBuffer(message.buffer);
        return;
      }
      case 'stop':
        this.stop();
        return;
      default:
        return;
    }
  }

  /**
   * Processes what arrived, in order, for at most {@link INBOX_SLICE_MS}, then lets the event
   * loop in: a transport hands over every message queued on a port at once (16 batches from a
   * producer: 16 ms of work for W5's `Normalise`), and credits waiting on another port must
   * not wait behind them — the load-aware shuffle would route by backlogs that long out of date.
   */
  private drainInbox(): void {
    this.drainScheduled = false;
    const until = performance.now() + INBOX_SLICE_MS;
    while (this.inboxHead < this.inbox.length && !this.ended) {
      const message = this.inbox[this.inboxHead]!;
      this.inbox[this.inboxHead++] = undefined; // not held once processed
      if (this.heldChannels.has(channelKey(message)) || this.stalled(message)) this.defer(message);
      else this.process(message);
      if (performance.now() > until) break;
    }
    if (this.inboxHead >= this.inbox.length) {
      this.inbox.length = 0;
      this.inboxHead = 0;
    } else {
      // A sender that keeps the inbox from emptying must not make it grow: drop what is done.
      if (this.inboxHead >= 1024) {
        this.inbox.splice(0, this.inboxHead);
        this.inboxHead = 0;
      }
      if (!this.ended) this.scheduleDrain();
    }
  }

  /**
   * Whether input has arrived that this endpoint has not reached yet: for the load-aware shuffle
   * of an instance with inputs (a producer has none to be behind on).
   */
  private readonly behind = (): boolean => this.inboxHead < this.inbox.length;

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => this.drainInbox());
  }

  /** Stops every local instance. */
  stop(): void {
    this.inbox.length = 0;
    this.inboxHead = 0;
    this.ended = true;
    this.doneSent = true;
    this.subscriptions.unsubscribe();
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  private localInstances(node: PENode): number[] {
    const placement = this.assignment.plan.placement[node.name] ?? [];
    return placement.flatMap((endpoint, i) => (endpoint === this.self ? [i] : []));
  }

  private build(node: PENode, instance: number, nodes: ReadonlyMap<string, PENode>): void {
    const definition = this.traced.pes.get(node.name)!;
    const spec = this.assignment.spec;
    const context: InstanceContext = {
      workflow: this.graph.name,
      pe: node.name,
      instance,
      instances: node.instances,
      iterations: spec.iterations,
      ...(spec.data[node.name] ? { data: spec.data[node.name] } : {}),
    };
    const inputs = Object.fromEntries(
      node.inputs.map((port) => [port, this.feeds.get(portKey(node.name, port))![instance]!.stream]),
    );
    let outputs: Readonly<Record<string, Observable<unknown>>>;
    let remaining: (() => number) | undefined;
    const stats = this.stats;
    const counter = stats && node.kind !== 'input' ? stats.counter(node.name, instance) : undefined;
    try {
      if (node.kind === 'input') outputs = { output: this.input ?? EMPTY };
      else if (definition.produce) {
        const produced = definition.produce(context);
        remaining = remainingOf(produced);
        outputs = { output: this.pump(node, instance, produced) };
      }
      else
        outputs = definition.body(counter ? probeInputs(inputs, counter, stats!) : inputs, context);
    } catch (error) {
      throw this.peError(node.name, instance, error);
    }
    // Counting (and timing) wraps the instance's streams; a run that does not count is not
    // wrapped at all.
    if (counter)
      outputs = probeOutputs(outputs, node.outputs, counter, stats!, node.inputs.length === 0);
    const starts = node.inputs.length === 0 ? this.producerStarts : this.starts;
    const failHere = (error: unknown): void => this.fail(this.peError(node.name, instance, error));
    const settle = (): void => this.settle();
    for (const [port, stream] of Object.entries(outputs)) {
      const site = { workflow: this.graph.name, pe: node.name, port };
      const connections = node.outputs.includes(port)
        ? this.graph.connections.filter((c) => c.from.pe === node.name && c.from.port === port)
        : [];
      const outputs = node.outputs.includes(port)
        ? this.graph.outputs.flatMap((o, i) => (o.from.pe === node.name && o.from.port === port ? [{ o, i }] : []))
        : [];
      const sinks: { ops: readonly ((s: Observable<unknown>) => Observable<unknown>)[]; sink: Subscriber<unknown> }[] = [];
      for (const connection of connections) {
        const targets = this.targets(connection, instance, nodes.get(connection.to.pe)!);
        const destination = nodes.get(connection.to.pe)!;
        const key = this.traced.connections[connection.id]!.key;
        const route =
          destination.instances === 1 && connection.grouping.kind !== 'broadcast'
            ? undefined
            : connection.grouping.kind === 'shuffle' && targets.some((t) => t instanceof Channel)
              ? loadAwareShuffle(targets, instance, {
                  ...(node.inputs.length > 0 ? { behind: this.behind } : {}),
                  ...(remaining ? { remaining } : {}),
                })
              : createRoute(connection.grouping, key, instance, destination.instances);
        const sink = new ConnectionSink(site, targets, route, failHere, () => {
          for (const target of targets) target.endOfStream();
          settle();
        });
        sinks.push({ ops: this.traced.connections[connection.id]!.ops, sink });
      }
      for (const { o, i } of outputs) {
        const sink = new OutputSink(site, (value) => this.emitResult(o.name, value), failHere, settle);
        sinks.push({ ops: this.traced.outputs[i]!.ops, sink });
      }
      if (sinks.length === 0) {
        sinks.push({ ops: [], sink: new DrainSink(site, failHere, settle) });
      }
      const shared = sinks.length === 1 ? stream : new Tee(stream);
      for (const { ops, sink } of sinks) {
        this.open++;
        const piped = ops.reduce<Observable<unknown>>((s, op) => op(s), shared);
        starts.push(() => {
          this.subscriptions.add(sink);
          piped.subscribe(sink);
        });
      }
      if (shared instanceof Tee) starts.push(() => void this.subscriptions.add(shared.connect()));
    }
  }

  /** Where connection `c` from sending `instance` delivers, per receiving instance. */
  private targets(connection: Connection, instance: number, destination: PENode): Target[] {
    const placement = this.assignment.plan.placement[destination.name]!;
    return placement.map((endpoint, to) => {
      if (endpoint === this.self) {
        return this.feeds.get(portKey(connection.to.pe, connection.to.port))![to]!;
      }
      return this.channel({ connection: connection.id, sender: instance, to }, endpoint);
    });
  }

  private channel(ref: ChannelRef, endpoint: number): Channel {
    const key = channelKey(ref);
    let channel = this.channels.get(key);
    if (!channel) {
      channel = new Channel(
        this.transport,
        this.assignment.runId,
        endpoint,
        ref,
        this.assignment.batchSize,
        this.assignment.window,
        () => this.blockedCount++,
        () => {
          this.blockedCount--;
          this.resume();
        },
        (started) => this.markDirty(started),
      );
      this.channels.set(key, channel);
    }
    return channel;
  }

  /** The remote channels fed, through local connections only, by a local instance. */
  private channelsReachable(pe: string, instance: number): Channel[] {
    const found = new Set<Channel>();
    const seen = new Set<string>();
    const visit = (name: string, i: number): void => {
      if (seen.has(instanceKey(name, i))) return;
      seen.add(instanceKey(name, i));
      for (const c of this.graph.connections) {
        if (c.from.pe !== name) continue;
        const placement = this.assignment.plan.placement[c.to.pe]!;
        placement.forEach((endpoint, to) => {
          if (endpoint === this.self) visit(c.to.pe, to);
          else {
            const channel = this.channels.get(channelKey({ connection: c.id, sender: i, to }));
            if (channel) found.add(channel);
          }
        });
      }
    };
    visit(pe, instance);
    return [...found];
  }

  private stalledInstance(pe: string, instance: number): boolean {
    if (this.blockedCount === 0) return false;
    const watch = this.watch.get(instanceKey(pe, instance));
    return watch !== undefined && watch.some((channel) => channel.blocked);
  }

  private stalled(message: Message & ChannelRef): boolean {
    return this.stalledInstance(this.graph.connections[message.connection]!.to.pe, message.to);
  }

  private defer(message: Message & ChannelRef): void {
    const key = channelKey(message);
    this.heldChannels.set(key, (this.heldChannels.get(key) ?? 0) + 1);
    this.deferred.push(message);
  }

  private process(message: Message): void {
    if (message.kind !== 'data' && message.kind !== 'eos') return;
    const connection = this.graph.connections[message.connection]!;
    const feed = this.feeds.get(portKey(connection.to.pe, connection.to.port))?.[message.to];
    if (!feed) {
      this.fail(new Error(`message for ${connection.to.pe}[${message.to}], which does not run on endpoint ${this.self}`));
      return;
    }
    if (message.kind === 'eos') {
      feed.endOfStream();
      return;
    }
    const { items } = message;
    const started = performance.now();
    for (let i = 0; i < items.length && !this.ended; i++) feed.next(items[i]);
    const itemNs = Math.round(((performance.now() - started) * 1e6) / Math.max(items.length, 1));
    // The batch's numbers have been read: its buffer goes back to be filled again.
    const buffer =
      this.transport.movesBuffers && items instanceof Float64Array && items.byteOffset === 0
        ? (items.buffer as ArrayBuffer)
        : undefined;
    this.transport.send(
      message.from,
      {
        kind: 'credit',
        run: message.run,
        from: this.self,
        connection: message.connection,
        sender: message.sender,
        to: message.to,
        messages: 1,
        itemNs: Math.min(itemNs, MAX_ITEM_NS),
        ...(buffer ? { buffer } : {}),
      },
      buffer ? [buffer] : undefined,
    );
  }

  /** A channel drained: process what waited, in order per channel, and wake producers. */
  private resume(): void {
    if (this.deferred.length > 0) {
      const waiting = this.deferred.splice(0);
      this.heldChannels.clear();
      for (const message of waiting) {
        const m = message as Message & ChannelRef;
        if (this.heldChannels.has(channelKey(m)) || this.stalled(m)) this.defer(m);
        else this.process(m);
      }
    }
    if (this.blockedCount === 0) for (const wake of this.resumeWaiters.splice(0)) wake();
    if (this.ended && !this.doneSent) this.finish();
  }

  /** A producer's items as a stream: pulled while not blocked, pushed if it is Observable. */
  private pump(node: PENode, instance: number, produced: ProducerOutput): Observable<unknown> {
    if (isObservable(produced)) return produced;
    const iterator = produced;
    const isAsync = Symbol.asyncIterator in iterator;
    return new Observable<unknown>((subscriber) => {
      let stopped = false;
      const loop = async (): Promise<void> => {
        let sliceEnd = performance.now() + SLICE_MS;
        while (!stopped && !subscriber.closed) {
          if (this.stalledInstance(node.name, instance)) {
            await new Promise<void>((wake) => this.resumeWaiters.push(wake));
            continue;
          }
          if (isAsync) {
            // An async generator whose awaits are already settled runs on microtasks alone,
            // which would keep the event loop (batches out, credits in) waiting until it ends.
            if (performance.now() > sliceEnd) {
              await new Promise<void>((next) => setImmediate(next));
              sliceEnd = performance.now() + SLICE_MS;
            }
            const step = await (iterator as AsyncIterator<unknown>).next();
            if (step.done) break;
            subscriber.next(step.value);
            continue;
          }
          // A synchronous slice: pull until blocked or a slice is done, then let the event
          // loop in (credits, data for other instances here, heartbeats).
          const sync = iterator as Iterator<unknown>;
          const until = performance.now() + SLICE_MS;
          for (let n = 1; n <= PRODUCER_SLICE; n++) {
            const step = sync.next();
            if (step.done) {
              subscriber.complete();
              return;
            }
            subscriber.next(step.value);
            if (this.blockedCount > 0 && this.stalledInstance(node.name, instance)) break;
            if (n % SLICE_CHECK === 0 && performance.now() > until) break;
          }
          await new Promise<void>((next) => setImmediate(next));
        }
        if (!stopped) subscriber.complete();
      };
      loop().catch((error: unknown) => subscriber.error(error));
      return () => {
        stopped = true;
      };
    });
  }

  private emitResult(output: string, value: unknown): void {
    let values = this.results.get(output);
    if (!values) {
      values = [];
      this.results.set(output, values);
    }
    values.push(value);
    if (++this.resultCount >= this.assignment.batchSize) this.flushResults();
    else this.scheduleFlush();
  }

  private flushResults(): void {
    for (const [output, values] of this.results) {
      if (values.length > 0)
        this.transport.send(COORDINATOR, {
          kind: 'result',
          run: this.runId,
          from: this.self,
          output,
          values,
        });
    }
    this.results.clear();
    this.resultCount = 0;
  }

  private markDirty(channel: Channel): void {
    this.dirty.add(channel);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushAll();
    });
  }

  /**
   * The end of a turn: partial batches go out to receivers that are about to run dry (see
   * {@link Channel.starving}); the others keep filling, and go when full, when a credit finds
   * the receiver about to run dry, or at the end of the stream (`force`: everything).
   */
  private flushAll(force = false): void {
    for (const channel of this.dirty) {
      if (!force && !channel.starving) continue;
      channel.flush();
      this.dirty.delete(channel);
    }
    this.flushResults();
  }

  private settle(): void {
    if (--this.open > 0) return;
    this.ended = true;
    this.finish();
  }

  /** Everything local has ended: once every channel has sent all it holds, report done. */
  private finish(): void {
    if (this.doneSent) return;
    this.flushAll(true);
    if (this.blockedCount > 0) return; // resume() calls back here when they drain
    this.doneSent = true;
    if (this.self !== COORDINATOR) {
      const stats = this.stats?.snapshot(true);
      this.transport.send(COORDINATOR, {
        kind: 'done',
        run: this.runId,
        from: this.self,
        ...(stats ? { stats } : {}),
      });
    }
    this.onDone?.();
  }

  /** Called when every local instance has finished and everything is sent. */
  onDone?: () => void;

  private fail(error: unknown): void {
    if (this.doneSent) return;
    this.transport.send(COORDINATOR, {
      kind: 'error',
      run: this.runId,
      from: this.self,
      error: serializeError(error),
    });
    this.stop();
  }

  private peError(pe: string, instance: number, cause: unknown): unknown {
    if (cause instanceof Error && 'workflow' in cause) return cause;
    const last = this.lastItems.get(instanceKey(pe, instance))?.() ?? NOTHING;
    return new PEError({ workflow: this.graph.name, pe, instance }, cause, last !== NOTHING ? { value: last } : undefined);
  }
}

function portKey(pe: string, port: string): string {
  return `${pe}\0${port}`;
}

function instanceKey(pe: string, instance: number): string {
  return `${pe}\0${instance}`;
}

function channelKey(ref: ChannelRef): string {
  return `${ref.connection}:${ref.sender}:${ref.to}`;
}
