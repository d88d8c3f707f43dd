import { Observable, type OperatorFunction } from 'rxjs';
import { readBoundary, type Boundary } from './boundary.js';
import type { PEDefinition } from '../dsl/definition.js';
import type {
  Connection,
  PENode,
  PortRef,
  WorkflowGraph,
  WorkflowOutput,
} from './WorkflowGraph.js';

type AnyOperator = OperatorFunction<unknown, unknown>;

/** @internal The closures behind one traced connection or output: fused operators and key. */
export interface EdgeImpl {
  readonly ops: readonly AnyOperator[];
  readonly key?: (item: unknown) => unknown;
}

/** @internal A traced workflow: the plain-data graph plus the closures that enact it. */
export interface TracedWorkflow {
  readonly graph: WorkflowGraph;
  readonly pes: ReadonlyMap<string, PEDefinition>;
  /** Indexed by connection id. */
  readonly connections: readonly EdgeImpl[];
  /** Indexed like `graph.outputs`. */
  readonly outputs: readonly EdgeImpl[];
}

/** @internal What a workflow's build function may return. */
export type BuildResult = Observable<unknown> | Readonly<Record<string, Observable<unknown>>> | void;

let active: Tracer | undefined;

/** @internal The tracer of the workflow being built, if a build is running. */
export function activeTracer(): Tracer | undefined {
  return active;
}

/**
 * @internal Records PEs and connections while a workflow's build function runs. Nothing is
 * subscribed: PEs applied to {@link TracedStream}s add nodes, boundary operators set the
 * grouping of the next connection, and plain operators are fused into the PE before them.
 */
export class Tracer {
  private readonly nodes: PENode[] = [];
  private readonly pes = new Map<string, PEDefinition>();
  /** Per definition, how often it was used under each name (a reused PE is numbered). */
  private readonly uses = new Map<PEDefinition, Map<string, number>>();
  private readonly connections: Connection[] = [];
  private readonly connectionImpls: EdgeImpl[] = [];
  private readonly consumed = new Set<string>();
  private readonly scope: string[] = [];
  private readonly named = new Map<PEDefinition, string>();

  constructor(readonly workflow: string) {}

  /** Runs `build` with this tracer active and returns the traced workflow. */
  static trace(
    name: string,
    build: (input: Observable<unknown>) => BuildResult,
  ): TracedWorkflow {
    const tracer = new Tracer(name);
    const input = new TracedStream(tracer, [], [], undefined, true);
    const result = tracer.within(() => build(input));
    return tracer.finish(result);
  }

  /** Runs `fn` with this tracer active, restoring the previous one after. */
  within<R>(fn: () => R): R {
    const previous = active;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the tracer of the running build
    active = this;
    try {
      return fn();
    } finally {
      active = previous;
    }
  }

  /** Runs `fn` inside the composite `name`, so nodes it adds are named `name/...`. */
  inScope<R>(name: string, fn: () => R): R {
    this.scope.push(name);
    try {
      return this.within(fn);
    } finally {
      this.scope.pop();
    }
  }

  /** Adds a node for `definition` and connects `inputs` to it; returns its output streams. */
  apply(
    definition: PEDefinition,
    inputs: Readonly<Record<string, Observable<unknown>>>,
  ): Record<string, TracedStream<unknown>> {
    const name = this.addNode(definition);
    for (const [port, stream] of Object.entries(inputs)) {
      this.connect(asTraced(stream, name, port), { pe: name, port });
    }
    return Object.fromEntries(
      definition.outputs.map((port) => [port, new TracedStream(this, [{ pe: name, port }], [])]),
    );
  }

  /**
   * Adds `definition` once, however often it is named (the explicit graph API, where a PE
   * object is one node), and returns its node name.
   */
  nodeOf(definition: PEDefinition): string {
    return this.named.get(definition) ?? this.remember(definition, this.addNode(definition));
  }

  /** Connects `from` to `to` (the explicit graph API). */
  link(from: PortRef, to: PortRef, boundary?: Boundary): void {
    this.connect(new TracedStream(this, [from], [], boundary), to);
  }

  /** Ends the trace with `outputs` as the named workflow outputs (the explicit graph API). */
  end(outputs: Readonly<Record<string, PortRef>>): TracedWorkflow {
    return this.finish(
      Object.fromEntries(
        Object.entries(outputs).map(([name, from]) => [name, new TracedStream(this, [from], [])]),
      ),
    );
  }

  private remember(definition: PEDefinition, name: string): string {
    this.named.set(definition, name);
    return name;
  }

  /** Adds the workflow input node the first time the build's input stream is used. */
  inputNode(): PortRef {
    const name = 'input';
    if (!this.pes.has(name)) {
      this.nodes.push({ name, kind: 'input', inputs: [], outputs: ['output'], instances: 1 });
      this.pes.set(name, {
        name,
        kind: 'producer',
        inputs: [],
        outputs: ['output'],
        instances: 1,
        body: () => ({}),
      });
    }
    return { pe: name, port: 'output' };
  }

  private addNode(definition: PEDefinition): string {
    const base = [...this.scope, definition.name].join('/');
    const key = `${base}\0`;
    const counts = this.uses.get(definition) ?? new Map<string, number>();
    const uses = (counts.get(key) ?? 0) + 1;
    counts.set(key, uses);
    this.uses.set(definition, counts);
    const name = uses === 1 ? base : `${base}_${uses}`;
    this.nodes.push({
      name,
      kind: definition.kind,
      inputs: definition.inputs,
      outputs: definition.outputs,
      instances: definition.instances,
      ...(this.scope.length > 0 ? { composite: [...this.scope] } : {}),
    });
    if (!this.pes.has(name)) this.pes.set(name, definition);
    return name;
  }

  private connect(stream: TracedStream<unknown>, to: PortRef): void {
    for (const from of stream.resolveSources()) {
      const id = this.connections.length;
      this.connections.push({
        id,
        from,
        to,
        grouping: stream.boundary?.grouping ?? { kind: 'shuffle' },
        fused: stream.ops.length,
      });
      this.connectionImpls.push({ ops: stream.ops, key: stream.boundary?.key });
      this.consumed.add(`${from.pe}\0${from.port}`);
    }
  }

  private finish(result: BuildResult): TracedWorkflow {
    const outputs: WorkflowOutput[] = [];
    const outputImpls: EdgeImpl[] = [];
    const addOutput = (name: string | undefined, stream: Observable<unknown>): void => {
      const traced = asTraced(stream, 'the workflow', name ?? 'output');
      const sources = traced.resolveSources();
      for (const from of sources) {
        const outputName = name ?? (sources.length === 1 ? defaultOutputName(from) : 'output');
        outputs.push({ name: outputName, from, fused: traced.ops.length });
        outputImpls.push({ ops: traced.ops });
        this.consumed.add(`${from.pe}\0${from.port}`);
      }
    };
    if (result instanceof Observable) addOutput(undefined, result);
    else if (result) for (const [name, stream] of Object.entries(result)) addOutput(name, stream);
    // dispel4py returns what PEs write on unconnected outputs: so do we.
    for (const node of this.nodes) {
      for (const port of node.outputs) {
        if (!this.consumed.has(`${node.name}\0${port}`)) {
          const from = { pe: node.name, port };
          outputs.push({ name: defaultOutputName(from), from, fused: 0 });
          outputImpls.push({ ops: [] });
        }
      }
    }
    return {
      graph: {
        name: this.workflow,
        nodes: this.nodes,
        connections: this.connections,
        outputs,
      },
      pes: this.pes,
      connections: this.connectionImpls,
      outputs: outputImpls,
    };
  }
}

/** The output name of a port when the build does not name it: `PE` or `PE.port`. */
function defaultOutputName(from: PortRef): string {
  return from.port === 'output' ? from.pe : `${from.pe}.${from.port}`;
}

function asTraced(stream: unknown, pe: string, port: string): TracedStream<unknown> {
  if (stream instanceof TracedStream) return stream;
  throw new TypeError(
    `Input "${port}" of "${pe}" is a plain Observable, not a stream of the workflow being built. ` +
      `Start streams inside workflow() with a producer (producer(), source()) or the build's input.`,
  );
}

/**
 * @internal A stream inside a workflow being traced. It stands for the items of one or more
 * output ports; it cannot be subscribed, only piped into PEs and operators.
 */
export class TracedStream<T> extends Observable<T> {
  constructor(
    readonly tracer: Tracer,
    private readonly sources: readonly PortRef[],
    readonly ops: readonly AnyOperator[],
    readonly boundary?: Boundary,
    private readonly isWorkflowInput = false,
  ) {
    super();
  }

  /** Build functions only describe the graph: subscribing is a mistake, reported at once. */
  override subscribe(): never {
    throw new TypeError(
      `A stream of workflow "${this.tracer.workflow}" was subscribed while the workflow was ` +
        `being built. Build functions only describe the graph; run it with run() or collect().`,
    );
  }

  /** @internal The output ports this stream carries items from. */
  resolveSources(): readonly PortRef[] {
    return this.isWorkflowInput ? [this.tracer.inputNode()] : this.sources;
  }

  /** @internal A stream carrying the items of all `streams` (a merge into one input). */
  static merge(streams: readonly TracedStream<unknown>[]): TracedStream<unknown> {
    const [first] = streams;
    if (!first) throw new TypeError('merge() needs at least one stream');
    for (const s of streams) {
      if (s.ops.length > 0 || s.boundary) {
        throw new TypeError(
          'merge() of workflow streams takes streams straight from PE outputs; put operators ' +
            'and groupings after the merge.',
        );
      }
    }
    return new TracedStream(
      first.tracer,
      streams.flatMap((s) => s.resolveSources()),
      [],
    );
  }

  // Plain operators are recorded, not called: they run later, fused into the sending PE.
  // PEs and composites are called: they see a traced input and add themselves to the graph.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match Observable's overloads
  override pipe(...operators: OperatorFunction<any, any>[]): Observable<any> {
    return operators.reduce<Observable<unknown>>(
      (stream, operator) =>
        stream instanceof TracedStream
          ? stream.step(operator as AnyOperator)
          : (operator as AnyOperator)(stream),
      this,
    );
  }

  private step(operator: AnyOperator): Observable<unknown> {
    if (isTracingAware(operator)) return operator(this);
    const boundary = readBoundary(operator);
    if (boundary) {
      return new TracedStream(this.tracer, this.resolveSources(), this.ops, boundary);
    }
    return new TracedStream(this.tracer, this.resolveSources(), [...this.ops, operator], this.boundary);
  }
}

const kTracingAware = Symbol('dispel4ts.tracingAware');

/** @internal Marks a function that handles traced input itself (PEs, composites). */
export function markTracingAware<F extends object>(fn: F): F {
  return Object.assign(fn, { [kTracingAware]: true });
}

function isTracingAware(fn: unknown): fn is AnyOperator {
  return typeof fn === 'function' && (fn as { [kTracingAware]?: boolean })[kTracingAware] === true;
}
