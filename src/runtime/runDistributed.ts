import { Observable, type Subscriber } from 'rxjs';
import type { RunSpec } from '../backend.js';
import type { Result, Workflow } from '../dsl/workflow.js';
import { tracedOf } from '../dsl/workflow.js';
import { BackendError, WorkerLostError } from '../errors.js';
import type { ExecutionPlan } from '../plan/plan.js';
import { moduleOf } from './loadWorkflow.js';
import { COORDINATOR, deserializeError, type Message, type RunAssignment } from './protocol.js';
import type { Transport } from './Transport.js';
import { WorkerRuntime } from './WorkerRuntime.js';

/** What a distributed backend provides for one run: endpoints reachable through a transport. */
export interface Cluster {
  /** The coordinator's endpoint: sends to workers 0 .. workers-1, receives from them. */
  readonly transport: Transport;
  /** How a worker is named in errors: `worker thread 1`, `rank 2`, `node gpu-3`. */
  describe(worker: number): string;
  /** Registers the callback for a worker that died or left. */
  onLost(callback: (worker: number, reason: string) => void): void;
  /**
   * Ends the cluster's part in the run. `clean`: every worker is alive and has finished or
   * been told to stop (a backend may keep them for the next run); otherwise — a worker lost,
   * or the caller unsubscribed — stop every worker.
   */
  shutdown(clean: boolean): Promise<void> | void;
}

/** How a distributed run is set up. */
export interface DistributedOptions {
  readonly backend: string;
  readonly plan: ExecutionPlan;
  /** Items per batch (flush threshold). */
  readonly batchSize: number;
  /** Credit window: data messages in flight per channel. */
  readonly window: number;
  /** A worker silent (no heartbeat) for this long is declared lost. */
  readonly heartbeatTimeoutMs: number;
  /** Starts the workers for a plan of `plan.workers` endpoints. */
  readonly launch: () => Promise<Cluster>;
  /**
   * Start at once, not when every worker is ready: for a transport that holds what is sent
   * to a worker until it listens (MessagePorts and MPI do; an MQTT broker drops what nobody is
   * subscribed to yet). Saves a round trip per run.
   */
  readonly eagerStart?: boolean;
}

/**
 * @internal The coordinator side shared by the distributed backends: launches the cluster,
 * assigns every worker its part (module, workflow name, graph, plan — data only), starts the
 * producers once every worker is listening, streams results to the caller as they come, and
 * ends the run when every worker is done. A failure anywhere — a PE's error reported by a
 * worker, a worker lost, a heartbeat missed — stops every worker and errors the results;
 * unsubscribing stops the run and frees every worker.
 */
export function runDistributed(
  workflow: Workflow<unknown, unknown>,
  spec: RunSpec,
  options: DistributedOptions,
): Observable<Result> {
  return new Observable<Result>((results) => {
    const run = new DistributedRun(workflow, spec, options, results);
    void run.begin();
    return () => run.close();
  });
}

/** @internal How long a worker may take to load the workflow before it counts as hung. */
export const STARTUP_TIMEOUT_MS = 60_000;

class DistributedRun {
  private cluster: Cluster | undefined;
  private local: WorkerRuntime | undefined;
  private readonly ready = new Set<number>();
  private readonly done = new Set<number>();
  private readonly lastHeard = new Map<number, number>();
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  /** Whether the workers may serve another run after this one ends. */
  private reusable = false;
  private readonly assignment: RunAssignment;
  private readonly workers: number;

  constructor(
    private readonly workflow: Workflow<unknown, unknown>,
    private readonly spec: RunSpec,
    private readonly options: DistributedOptions,
    private readonly results: Subscriber<Result>,
  ) {
    const { plan } = options;
    const placement = { ...plan.placement };
    // The workflow's input stream is read here, by the coordinator.
    for (const node of spec.graph.nodes) {
      if (node.kind === 'input') placement[node.name] = [COORDINATOR];
    }
    this.workers = plan.workers;
    this.assignment = {
      runId: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
      module: moduleOf(options.backend, workflow),
      workflow: workflow.name,
      spec: { graph: spec.graph, iterations: spec.iterations, data: spec.data },
      plan: { workers: plan.workers, placement },
      batchSize: options.batchSize,
      window: options.window,
      ...(spec.stats ? { counts: true, timing: spec.stats.timing } : {}),
    };
  }

  async begin(): Promise<void> {
    try {
      this.cluster = await this.options.launch();
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.closed) {
      void this.cluster.shutdown(false);
      return;
    }
    const { transport } = this.cluster;
    this.cluster.onLost((worker, reason) => this.lost(worker, reason));
    transport.onMessage((message) => this.handle(message));
    const loopback: Transport = {
      self: COORDINATOR,
      ...(transport.movesBuffers ? { movesBuffers: true } : {}),
      ...(transport.copiesOnSend ? { copiesOnSend: true } : {}),
      ...(transport.messageNs !== undefined ? { messageNs: transport.messageNs } : {}),
      ...(transport.byteNs !== undefined ? { byteNs: transport.byteNs } : {}),
      send: (to, message, transfer) =>
        to === COORDINATOR ? this.handle(message) : transport.send(to, message, transfer),
      onMessage: () => undefined,
      close: () => undefined,
    };
    try {
      this.local = new WorkerRuntime(
        tracedOf(this.workflow),
        this.assignment,
        loopback,
        this.spec.input,
        this.spec.stats,
      );
      this.local.onDone = () => this.workerDone(COORDINATOR);
      this.local.prepare();
    } catch (error) {
      this.fail(error);
      return;
    }
    const now = Date.now();
    for (let w = 0; w < this.workers; w++) {
      this.lastHeard.set(w, now);
      transport.send(w, { kind: 'assign', assignment: this.assignment });
    }
    if (this.options.eagerStart) this.startAll();
    this.heartbeatTimer = setInterval(() => this.checkHeartbeats(), 500);
    this.heartbeatTimer.unref?.();
  }

  private handle(message: Message): void {
    if (this.closed) return;
    // Pooled workers serve run after run: what an earlier run's worker sent late (its `done`
    // or a result after that run failed elsewhere) must not count in this one.
    if ('run' in message && message.run !== undefined && message.run !== this.assignment.runId)
      return;
    if ('from' in message) this.lastHeard.set(message.from, Date.now());
    switch (message.kind) {
      case 'ready':
        this.ready.add(message.from);
        this.lastHeard.set(message.from, Date.now());
        if (this.ready.size === this.workers && !this.options.eagerStart) this.startAll();
        return;
      case 'result':
        for (const value of message.values) this.results.next({ output: message.output, value });
        return;
      case 'done':
        if (message.stats) this.spec.stats?.report(message.stats);
        this.workerDone(message.from);
        return;
      case 'heartbeat':
        if (message.stats) this.spec.stats?.report(message.stats);
        return;
      case 'error':
        // Every worker is alive and answers `stop`: a pool may keep them for the next run.
        this.reusable = true;
        this.fail(deserializeError(message.error));
        return;
      case 'credit':
      case 'data':
      case 'eos':
        this.local?.receive(message);
        return;
      default:
        return;
    }
  }

  private startAll(): void {
    for (let w = 0; w < this.workers; w++) this.cluster!.transport.send(w, { kind: 'start' });
    this.local!.start();
  }

  private workerDone(worker: number): void {
    this.done.add(worker);
    if (this.done.size === this.workers + 1) {
      this.results.complete();
      this.close();
    }
  }

  private lost(worker: number, reason: string): void {
    if (this.closed || this.done.has(worker)) return;
    const instances = Object.entries(this.assignment.plan.placement).flatMap(([pe, endpoints]) =>
      endpoints.flatMap((endpoint, i) => (endpoint === worker ? [`${pe}[${i}]`] : [])),
    );
    const name = this.cluster?.describe(worker) ?? `worker ${worker}`;
    this.fail(new WorkerLostError(this.options.backend, name, instances, reason));
  }

  private checkHeartbeats(): void {
    const now = Date.now();
    for (const [worker, heard] of this.lastHeard) {
      // Starting (importing the workflow's module) may take longer than a heartbeat.
      const limit = this.ready.has(worker)
        ? this.options.heartbeatTimeoutMs
        : Math.max(this.options.heartbeatTimeoutMs, STARTUP_TIMEOUT_MS);
      if (!this.done.has(worker) && now - heard > limit) {
        this.lost(
          worker,
          `no heartbeat for ${Math.round((now - heard) / 1000)} s (heartbeatTimeoutMs ${this.options.heartbeatTimeoutMs})`,
        );
        return;
      }
    }
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.results.error(
      error instanceof Error ? error : new BackendError(this.options.backend, String(error)),
    );
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.local?.stop();
    const cluster = this.cluster;
    if (!cluster) return;
    for (let w = 0; w < this.workers; w++) {
      if (!this.done.has(w)) {
        try {
          cluster.transport.send(w, { kind: 'stop' });
        } catch {
          // the worker may already be gone
        }
      }
    }
    const clean = this.reusable || this.done.size === this.workers + 1;
    void Promise.resolve(cluster.shutdown(clean)).catch(() => undefined);
  }
}
