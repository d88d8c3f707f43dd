import type { WorkflowGraph } from '../graph/WorkflowGraph.js';

/**
 * Which worker (thread, rank or node) runs each PE instance: `placement[pe][i]` is the
 * worker of instance `i`. Plain data, printable, sent to every worker.
 */
export interface ExecutionPlan {
  readonly workers: number;
  readonly placement: Readonly<Record<string, readonly number[]>>;
}

/**
 * Places PE instances on `workers` workers: instances of user-given partitions
 * (dispel4py's `graph.partitions`: lists of PE names to co-locate) go together; the rest are
 * dealt round robin in graph order, so consecutive PEs land on different workers and
 * parallel instances spread out. Any worker count ≥ 1 works: workers are co-located when
 * the graph has more instances than workers.
 */
export function planInstances(
  graph: WorkflowGraph,
  workers: number,
  partitions: readonly (readonly string[])[] = [],
): ExecutionPlan {
  if (!Number.isInteger(workers) || workers < 1) {
    throw new RangeError(`workers must be a positive integer, got ${workers}`);
  }
  const placement: Record<string, number[]> = {};
  const names = new Set(graph.nodes.map((n) => n.name));
  partitions.forEach((partition, p) => {
    for (const pe of partition) {
      if (!names.has(pe)) {
        throw new RangeError(`partition ${p} names PE "${pe}", which workflow "${graph.name}" does not have`);
      }
    }
  });
  let next = 0;
  for (const node of graph.nodes) {
    const partition = partitions.findIndex((names) => names.includes(node.name));
    placement[node.name] = Array.from({ length: node.instances }, () => {
      if (partition >= 0) return partition % workers;
      const worker = next % workers;
      next++;
      return worker;
    });
  }
  return { workers, placement };
}

/** The plan as text, one line per worker: `worker 0: Numbers[0], AddOne_2[0]`. */
export function formatPlan(plan: ExecutionPlan): string {
  const lines = Array.from({ length: plan.workers }, (_, w) => {
    const here = Object.entries(plan.placement).flatMap(([pe, workers]) =>
      workers.flatMap((worker, i) => (worker === w ? [`${pe}[${i}]`] : [])),
    );
    return `worker ${w}: ${here.join(', ') || '(idle)'}`;
  });
  return lines.join('\n');
}
