import { readPE, type PEDefinition } from '../dsl/definition.js';
import { callerModule } from '../dsl/callerModule.js';
import { fromTraced, type Workflow } from '../dsl/workflow.js';
import { readBoundary, type Boundary } from './boundary.js';
import { Tracer } from './trace.js';
import type { Grouping } from './WorkflowGraph.js';

/** A grouping for {@link WorkflowBuilder.connect}: a boundary operator, or dispel4py's spelling. */
export type GroupingSpec =
  | ((...args: never[]) => unknown)
  | 'shuffle'
  | 'global'
  | 'all'
  | readonly (number | string)[];

/**
 * The explicit graph API under the DSL, for generated graphs and for dispel4py ports:
 * `connect(from, outPort, to, inPort, grouping)` as in dispel4py's `WorkflowGraph.connect`.
 * Each PE object is one node however often it is connected.
 *
 * @example
 * ```ts
 * const g = new WorkflowBuilder('wordcount');
 * g.connect(Words, 'output', Count, 'input', [0]); // dispel4py's group-by on field 0
 * g.connect(Count, 'output', Top, 'input', 'global');
 * export const wordcount = g.build();
 * ```
 */
export class WorkflowBuilder {
  private readonly tracer: Tracer;
  private readonly outputs: Record<string, { pe: string; port: string }> = {};

  constructor(readonly name: string) {
    this.tracer = new Tracer(name);
  }

  /** Adds a PE with no connections yet (a lone producer, say); returns this builder. */
  add(pe: object): this {
    this.tracer.nodeOf(definitionOf(pe));
    return this;
  }

  /** Connects output `outPort` of `from` to input `inPort` of `to`; default grouping shuffle. */
  connect(from: object, outPort: string, to: object, inPort: string, grouping?: GroupingSpec): this {
    const source = this.tracer.nodeOf(definitionOf(from));
    const target = this.tracer.nodeOf(definitionOf(to));
    this.tracer.link({ pe: source, port: outPort }, { pe: target, port: inPort }, toBoundary(grouping));
    return this;
  }

  /** Names output `port` of `pe` as workflow output `name`. */
  output(name: string, pe: object, port = 'output'): this {
    this.outputs[name] = { pe: this.tracer.nodeOf(definitionOf(pe)), port };
    return this;
  }

  /** The workflow. Check it with `validate(workflow.graph)`; `run()` does so too. */
  build<In = never, Out = Record<string, unknown>>(): Workflow<In, Out> {
    return fromTraced(this.tracer.end(this.outputs), callerModule());
  }
}

function definitionOf(pe: object): PEDefinition {
  const definition = readPE(pe);
  if (!definition) throw new TypeError('WorkflowBuilder: expected a PE made by pe(), producer(), ...');
  return definition;
}

function toBoundary(grouping: GroupingSpec | undefined): Boundary | undefined {
  if (grouping === undefined || grouping === 'shuffle') return undefined;
  if (typeof grouping === 'function') {
    const boundary = readBoundary(grouping);
    if (!boundary) throw new TypeError('WorkflowBuilder.connect: grouping must be groupByKey(), allToOne(), broadcast() or shuffle()');
    return boundary;
  }
  const plain: Grouping =
    grouping === 'global'
      ? { kind: 'allToOne' }
      : grouping === 'all'
        ? { kind: 'broadcast' }
        : { kind: 'groupByKey', key: grouping };
  return { grouping: plain };
}
