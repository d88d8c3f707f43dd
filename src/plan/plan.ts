import type { WorkflowGraph } from '../graph/WorkflowGraph.js';

/** The coordinator's place in a plan: the caller's own thread (or process), not a worker. */
export const ON_COORDINATOR = -1;

/** Options of {@link planInstances}. */
export interface PlanOptions {
  /**
   * Producers not named in a partition run on the coordinator (the threads backend: the
   * caller's thread), so every worker is left the same kind of work. Default false.
   */
  readonly producersOnCoordinator?: boolean;
}

/**
 * Which worker (thread, rank or node) runs each PE instance: `placement[pe][i]` is the
 * worker of instance `i`. Plain data, printable, sent to every worker.
 */
export interface ExecutionPlan {
  readonly workers: number;
  readonly placement: Readonly<Record<string, readonly number[]>>;
}

/** Where a backend runs producers not named in a partition (its `producers` option). */
export type ProducerPlacement = 'coordinator' | 'workers';

/**
 * @internal Checks a backend's `producers` option (default `'coordinator'`) and says whether
 * producers go on the coordinator.
 */
export function producersOnCoordinator(
  backend: string,
  producers: ProducerPlacement | undefined,
): boolean {
  if (producers !== undefined && producers !== 'coordinator' && producers !== 'workers') {
    throw new TypeError(
      `${backend}() options.producers must be 'coordinator' or 'workers', got ${String(producers)}`,
    );
  }
  return producers !== 'workers';
}

/**
 * Places PE instances on `workers` workers: instances of user-given partitions
 * (dispel4py's `graph.partitions`: lists of PE names to co-locate) go together; the rest are
 * dealt round robin in graph order, so consecutive PEs land on different workers and
 * parallel instances spread out. Any worker count ≥ 1 works: workers are co-located when
 * the graph has more instances than workers. With `producersOnCoordinator`, producers are
 * placed on {@link ON_COORDINATOR} and take no worker's turn.
 */
export function planInstances(
  graph: WorkflowGraph,
  workers: number,
  partitions: readonly (readonly string[])[] = [],
  options: PlanOptions = {},
): ExecutionPlan {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  }
  const placement: Record<string, number[]> = {};
  const names = new Set(graph.nodes.map((n) => n.name));
  partitions.forEach((partition, p) => {
    for (const pe of partition) {
      if (!names.has(pe)) {
        throw new RangeError(
          `partition ${p} names PE "${pe}", which workflow "${graph.name}" does not have`,
        );
      }
    }
  });
  let next = 0;
  for (const node of graph.nodes) {
    const partition = partitions.findIndex((names) => names.includes(node.name));
    const producer = node.kind === 'producer';
    placement[node.name] = Array.from({ length: node.instances }, () => {
      if (partition >= 0) return partition % workers;
      if (producer && options.producersOnCoordinator) return ON_COORDINATOR;
      const worker = next % workers;
      next++;
      return worker;
    });
  }
  return { workers, placement };
}

/**
 * The plan as text, one line per worker: `worker 0: Numbers[0], AddOne_2[0]`, after a
 * `coordinator: ...` line when instances run there.
 */
export function formatPlan(plan: ExecutionPlan): string {
  const at = (w: number): string[] =>
    Object.entries(plan.placement).flatMap(([pe, workers]) =>
      workers.flatMap((worker, i) => (worker === w ? [`${pe}[${i}]`] : [])),
    );
  const lines = Array.from(
    { length: plan.workers },
    (_, w) => `worker ${w}: ${at(w).join(', ') || '(idle)'}`,
  );
  const coordinator = at(ON_COORDINATOR);
  return [
    ...(coordinator.length > 0 ? [`coordinator: ${coordinator.join(', ')}`] : []),
    ...lines,
  ].join('\n');
}
