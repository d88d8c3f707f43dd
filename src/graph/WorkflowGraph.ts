/**
 * The workflow graph as plain, JSON-safe data: what `workflow()` traces, what `validate()`
 * checks, what `dispel4ts graph` draws and what every backend is handed.
 */

/** How items on a connection are spread over the instances of the consuming PE. */
export type Grouping =
  | { readonly kind: 'shuffle' }
  | { readonly kind: 'groupByKey'; readonly key: GroupKey }
  | { readonly kind: 'allToOne' }
  | { readonly kind: 'broadcast' };

/**
 * The key of a group-by connection: field indexes or names (dispel4py's `[0]`), which are
 * data, or `'function'` when a key function computes it.
 */
export type GroupKey = readonly (number | string)[] | 'function';

/** What a node does: a producer has no inputs; `input` is the workflow's own input stream. */
export type NodeKind = 'producer' | 'pe' | 'input';

/** One processing element of the graph. */
export interface PENode {
  /** Unique, hierarchical (`chain/AddTwo` inside a composite). */
  readonly name: string;
  readonly kind: NodeKind;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly instances: number;
  /** The composite PEs this node sits in, outermost first. */
  readonly composite?: readonly string[];
}

/** One end of a connection. */
export interface PortRef {
  readonly pe: string;
  readonly port: string;
}

/** A directed connection from an output port to an input port. */
export interface Connection {
  /** Position in `graph.connections`; stable for the same build. */
  readonly id: number;
  readonly from: PortRef;
  readonly to: PortRef;
  readonly grouping: Grouping;
  /** Plain RxJS operators fused into the sending PE on this connection. */
  readonly fused: number;
}

/** An output port whose items are returned to the caller under `name`. */
export interface WorkflowOutput {
  readonly name: string;
  readonly from: PortRef;
  readonly fused: number;
}

/** A traced workflow: nodes, connections and outputs, all plain data. */
export interface WorkflowGraph {
  readonly name: string;
  readonly nodes: readonly PENode[];
  readonly connections: readonly Connection[];
  readonly outputs: readonly WorkflowOutput[];
}
