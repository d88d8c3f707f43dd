import { EMPTY, type Observable, type OperatorFunction } from 'rxjs';
import { activeTracer, markTracingAware, TracedStream } from '../graph/trace.js';
import {
  definePE,
  DRAIN,
  standaloneContext,
  type PEDefinition,
  type PEOptions,
  type Streams,
} from './definition.js';
import { assertOption, isPositiveInteger } from './options.js';

/** A one-in, one-out PE: an RxJS operator that also carries its name and options. */
export interface PE<I, O> extends OperatorFunction<I, O> {
  readonly peName: string;
}

/** A PE with named, typed ports: a record of input streams in, a record of output streams out. */
export interface MultiPE<In, Out> {
  (inputs: Streams<In>): Streams<Out>;
  readonly peName: string;
}

/** The ports of a multi-port PE, and its options. */
export interface PortsOptions<In, Out> extends PEOptions {
  readonly inputs: readonly (keyof In & string)[];
  readonly outputs: readonly (keyof Out & string)[];
}

/**
 * Makes a processing element (PE) from an RxJS operator, or from a function of named ports.
 *
 * The operator (or port function) is called **once per instance**, so state created inside
 * it belongs to that instance. Outside a workflow a PE is an ordinary operator; inside
 * `workflow()` it becomes a node of the graph, and the operators piped after it up to the
 * next PE are fused into it.
 *
 * @param name unique within the workflow (a PE used twice is numbered: `AddOne_2`)
 * @param operator the PE's behaviour on its `input` port, producing its `output` port
 * @param options `instances`: how many copies run in parallel (default 1)
 * @example
 * ```ts
 * import { map, of } from 'rxjs';
 * import { pe } from 'dispel4ts';
 *
 * const Double = pe('Double', map((x: number) => 2 * x), { instances: 2 });
 * of(1, 2, 3).pipe(Double).subscribe(console.log);
 * // Output: 2, 4, 6
 * ```
 * @example Multi-port
 * ```ts
 * const Split = pe(
 *   'Split',
 *   { inputs: ['input'], outputs: ['even', 'odd'] },
 *   ({ input }: Streams<{ input: number }>) => ({
 *     even: input.pipe(filter((x) => x % 2 === 0)),
 *     odd: input.pipe(filter((x) => x % 2 !== 0)),
 *   }),
 * );
 * ```
 */
export function pe<I, O>(
  name: string,
  operator: OperatorFunction<I, O>,
  options?: PEOptions,
): PE<I, O>;
export function pe<In, Out>(
  name: string,
  ports: PortsOptions<In, Out>,
  body: (inputs: Streams<In>) => Streams<Out>,
): MultiPE<In, Out>;
export function pe(
  name: string,
  operatorOrPorts: OperatorFunction<unknown, unknown> | PortsOptions<unknown, unknown>,
  optionsOrBody?: PEOptions | ((inputs: Streams<unknown>) => Streams<unknown>),
): PE<unknown, unknown> | MultiPE<unknown, unknown> {
  if (typeof operatorOrPorts === 'function') {
    const operator = operatorOrPorts;
    const options = (optionsOrBody ?? {}) as PEOptions;
    return singlePortPE({
      name,
      kind: 'pe',
      inputs: ['input'],
      outputs: ['output'],
      instances: checkedInstances(name, options),
      body: ({ input }) => ({ output: operator(input!) }),
    });
  }
  const ports = operatorOrPorts;
  const body = optionsOrBody as (inputs: Record<string, Observable<unknown>>) => Record<string, Observable<unknown>>;
  if (typeof body !== 'function') {
    throw new TypeError(`pe("${name}", ports, body): body must be a function of the input streams`);
  }
  return multiPortPE({
    name,
    kind: 'pe',
    inputs: [...ports.inputs],
    outputs: [...ports.outputs],
    instances: checkedInstances(name, ports),
    body: (inputs) => body(inputs),
  });
}

/** @internal Validates `options.instances` at the facade. */
export function checkedInstances(name: string, options: PEOptions): number {
  const instances = options.instances ?? 1;
  assertOption(`pe("${name}") options.instances`, instances, isPositiveInteger, 'a positive integer');
  return instances;
}

/** @internal Wraps a one-in, one-out definition as an operator that also traces. */
export function singlePortPE<I, O>(definition: PEDefinition): PE<I, O> {
  const [inPort = 'input'] = definition.inputs;
  const [outPort] = definition.outputs;
  const fn = (input: Observable<I>): Observable<O> => {
    if (input instanceof TracedStream) {
      const outputs = input.tracer.apply(definition, { [inPort]: input });
      return (outputs[outPort ?? ''] ?? new TracedStream(input.tracer, [], [])) as Observable<O>;
    }
    refuseInsideWorkflow(definition.name);
    const outputs = definition.body({ [inPort]: input }, standaloneContext(definition.name));
    return (outputs[outPort ?? DRAIN] ?? EMPTY) as Observable<O>;
  };
  return definePE(markTracingAware(Object.assign(fn, { peName: definition.name })), definition);
}

/** @internal Wraps a multi-port definition as a function of port records that also traces. */
export function multiPortPE<In, Out>(definition: PEDefinition): MultiPE<In, Out> {
  const fn = (inputs: Streams<In>): Streams<Out> => {
    const record = inputs as Record<string, Observable<unknown>>;
    const first = Object.values(record)[0];
    if (first instanceof TracedStream) return first.tracer.apply(definition, record) as Streams<Out>;
    refuseInsideWorkflow(definition.name);
    return definition.body(record, standaloneContext(definition.name)) as Streams<Out>;
  };
  return definePE(Object.assign(fn, { peName: definition.name }), definition);
}

/** Inside `workflow()`, a PE applied to a plain Observable would silently run outside the graph. */
function refuseInsideWorkflow(pe: string): void {
  const tracer = activeTracer();
  if (tracer) {
    throw new TypeError(
      `PE "${pe}" was given a plain Observable inside workflow "${tracer.workflow}". ` +
        `Streams of a workflow start at a producer (producer(), source()) or at the build's input.`,
    );
  }
}
