import { EMPTY, Observable, Subscription, type OperatorFunction, type Subscriber } from 'rxjs';
import type { RunSpec } from '../backend.js';
import type { Result } from '../dsl/workflow.js';
import type { InstanceContext } from '../dsl/definition.js';
import { PEError } from '../errors.js';
import type { EdgeImpl, TracedWorkflow } from '../graph/trace.js';
import type { Connection, PENode, PortRef, WorkflowGraph } from '../graph/WorkflowGraph.js';
import { createRoute } from '../plan/routing.js';
import { InputFeed, NOTHING, type InstanceFeeds } from './InputFeed.js';
import { probeInputs, probeOutputs } from './probes.js';
import { slicedProducer } from './slicedProducer.js';
import { ConnectionSink, DrainSink, FusedSubscriber, OutputSink } from './sinks.js';
import { Tee } from './Tee.js';
import { FusedInput } from './FusedInput.js';

type AnyOperator = OperatorFunction<unknown, unknown>;
type Streams = Readonly<Record<string, Observable<unknown>>>;

/** A reader of one output port: a connection into another PE, or a workflow output. */
interface Reader {
  readonly ops: readonly AnyOperator[];
  readonly sink: (node: PENode, instance: number, port: string) => Subscriber<unknown>;
}

/**
 * @internal Enacts a traced workflow in this thread: the reference semantics every backend
 * must match.
 *
 * Every PE instance's function is called once, with {@link InputFeed}s as its input ports.
 * Each output port is subscribed once per reader (through a {@link Tee} when several read
 * it, so each gets its own copy); every item is checked, routed by the connection's grouping
 * and pushed synchronously into the receiving instance. Producers start last, once every
 * instance is listening, so nothing is lost; an input port completes when all its senders
 * have (end-of-stream counting), which lets stateful PEs emit final results. Nothing here
 * uses Promises or timers, so it runs under any RxJS scheduler, the TestScheduler included.
 *
 * A connection from a single instance to a single instance that nothing else shares is
 * fused: the receiver reads the sender's output directly, through one checking subscriber
 * ({@link FusedSubscriber}), which is what keeps a chain of PEs close to a plain RxJS pipe.
 */
export function enactInProcess(traced: TracedWorkflow, spec: RunSpec): Observable<Result> {
  const { graph } = spec;
  return new Observable<Result>((results) => {
    // Registered now, not returned at the end: producers run synchronously inside this
    // function, and an unsubscribe from within (take(3)) must reach them mid-loop.
    const subscriptions = new Subscription();
    results.add(subscriptions);
    let open = 0;
    const settle = (): void => {
      if (--open === 0) results.complete();
    };
    const fail = (error: unknown): void => {
      results.error(error);
      subscriptions.unsubscribe();
    };

    const nodes = new Map(graph.nodes.map((node) => [node.name, node]));
    const fused = fusedConnections(graph);
    const fusedInto = new Map([...fused].map((c) => [c.to.pe, c]));

    // Input ports: feeds, or for a fused input, the sender's output read directly.
    const feeds = new Map<string, InputFeed[]>();
    const lastItems = new Map<string, (() => unknown)[]>();
    const outputsOf = new Map<string, Streams[]>();
    const fusedReaders = new Map<string, FusedSubscriber>();
    const inputsOf = new Map<string, Streams[]>();
    // Fused inputs subscribed but not yet connected (see FusedInput).
    const unconnected: FusedInput[] = [];
    for (const node of graph.nodes) {
      const viaFusion = fusedInto.get(node.name);
      const perInstance = Array.from({ length: node.instances }, (_, instance) => {
        if (viaFusion) {
          const sender = nodes.get(viaFusion.from.pe)!;
          const input = new FusedInput(
            sender.name,
            () => {
              const ops = traced.connections[viaFusion.id]!.ops;
              const output = outputsOf.get(sender.name)![0]![viaFusion.from.port] ?? EMPTY;
              return ops.reduce<Observable<unknown>>((s, op) => op(s), output);
            },
            (destination) => {
              const reader = new FusedSubscriber(
                destination,
                { workflow: graph.name, pe: sender.name, port: viaFusion.from.port },
                (error) => peError(sender, 0, error),
              );
              fusedReaders.set(node.name, reader);
              return reader;
            },
            (subscribed) => unconnected.push(subscribed),
          );
          return {
            inputs: { [viaFusion.to.port]: input },
            last: () => fusedReaders.get(node.name)?.last ?? NOTHING,
          };
        }
        const shared: InstanceFeeds | undefined =
          node.inputs.length > 1 ? { latest: undefined } : undefined;
        const ports = node.inputs.map(() => new InputFeed(shared));
        node.inputs.forEach((port, p) => {
          const list = feeds.get(portKey(node, port)) ?? [];
          list[instance] = ports[p]!;
          feeds.set(portKey(node, port), list);
        });
        return {
          inputs: Object.fromEntries(node.inputs.map((port, p) => [port, ports[p]!.stream])),
          last: () => (shared ? shared.latest : ports[0])?.last ?? NOTHING,
        };
      });
      lastItems.set(
        node.name,
        perInstance.map((i) => i.last),
      );
      inputsOf.set(
        node.name,
        perInstance.map((i) => i.inputs),
      );
    }

    const peError = (node: PENode, instance: number, cause: unknown): unknown => {
      if (isDispel4tsError(cause)) return cause;
      const last = lastItems.get(node.name)![instance]!();
      const item = last !== NOTHING ? { value: last } : undefined;
      return new PEError({ workflow: graph.name, pe: node.name, instance }, cause, item);
    };
    const failIn = (node: PENode, instance: number) => (error: unknown) =>
      fail(peError(node, instance, error));

    // Every PE instance's function, called once.
    for (const node of graph.nodes) {
      const definition = traced.pes.get(node.name)!;
      const perInstance: Streams[] = [];
      for (let instance = 0; instance < node.instances; instance++) {
        const context: InstanceContext = {
          workflow: graph.name,
          pe: node.name,
          instance,
          instances: node.instances,
          iterations: spec.iterations,
          ...(spec.data[node.name] ? { data: spec.data[node.name] } : {}),
          ...(spec.yieldEvery !== undefined ? { yieldEvery: spec.yieldEvery } : {}),
        };
        try {
          const inputs = inputsOf.get(node.name)![instance]!;
          const { stats } = spec;
          if (node.kind === 'input') perInstance.push({ output: spec.input ?? EMPTY });
          else if (!stats && !spec.yieldEvery) perInstance.push(definition.body(inputs, context));
          else {
            const body = (streams: typeof inputs): Streams =>
              spec.yieldEvery && definition.produce
                ? { output: slicedProducer(definition.produce(context), spec.yieldEvery) }
                : definition.body(streams, context);
            if (!stats) {
              perInstance.push(body(inputs));
              continue;
            }
            // Counting (and timing) wraps the instance's streams; a run without stats is
            // not wrapped at all.
            const counter = stats.counter(node.name, instance);
            const outputs = body(probeInputs(inputs, counter, stats));
            perInstance.push(
              probeOutputs(outputs, node.outputs, counter, stats, node.inputs.length === 0),
            );
          }
        } catch (error) {
          fail(peError(node, instance, error));
          return undefined;
        }
      }
      outputsOf.set(node.name, perInstance);
    }

    const readers = collectReaders(
      graph,
      traced,
      fused,
      (connection) => {
        const destination = nodes.get(connection.to.pe)!;
        const targets = feeds.get(portKey(connection.to, connection.to.port))!;
        for (const feed of targets) feed.pending += nodes.get(connection.from.pe)!.instances;
        const key = traced.connections[connection.id]!.key;
        return (node, instance, port) => {
          const direct = destination.instances === 1 && connection.grouping.kind !== 'broadcast';
          const route = direct
            ? undefined
            : createRoute(connection.grouping, key, instance, destination.instances);
          const site = { workflow: graph.name, pe: node.name, port };
          return new ConnectionSink(site, targets, route, failIn(node, instance), () => {
            for (const target of targets) target.endOfStream();
            settle();
          });
        };
      },
      (output) => (node, instance, port) =>
        new OutputSink(
          { workflow: graph.name, pe: node.name, port },
          (value) => results.next({ output: output.name, value }),
          failIn(node, instance),
          settle,
        ),
    );

    // Subscribe every reader, one group per PE instance; producers start last, once every
    // instance is listening. A fused input is connected once every port of its instance has
    // subscribed (FusedInput): inputs fed by PEs just wire the chain up; inputs fed by a
    // producer start its data, so they wait for their producer's turn.
    const groups: { readonly node: PENode; readonly starts: (() => void)[] }[] = [];
    const subscribe = (stream: Observable<unknown>, sink: Subscriber<unknown>): void => {
      subscriptions.add(sink);
      stream.subscribe(sink);
    };
    for (const node of graph.nodes) {
      outputsOf.get(node.name)!.forEach((outputs, instance) => {
        const start: (() => void)[] = [];
        groups.push({ node, starts: start });
        for (const [port, stream] of Object.entries(outputs)) {
          const declared = node.outputs.includes(port);
          const only = declared ? onlyConnection(graph, node.name, port) : undefined;
          if (only && fused.has(only)) continue;
          const portReaders = declared ? (readers.get(portKey(node, port)) ?? []) : [];
          if (portReaders.length === 0) {
            // A body's extra streams (a consumer's drain) and unread ports: run them, drop items.
            open++;
            const site = { workflow: graph.name, pe: node.name, port };
            const sink = new DrainSink(site, failIn(node, instance), settle);
            start.push(() => subscribe(stream, sink));
            continue;
          }
          const shared = portReaders.length === 1 ? stream : new Tee(stream);
          for (const reader of portReaders) {
            open++;
            const sink = reader.sink(node, instance, port);
            const piped = reader.ops.reduce<Observable<unknown>>((s, op) => op(s), shared);
            start.push(() => subscribe(piped, sink));
          }
          if (shared instanceof Tee) start.push(() => void subscriptions.add(shared.connect()));
        }
      });
    }
    if (open === 0) {
      results.complete();
      return undefined;
    }
    const isProducer = (name: string): boolean => nodes.get(name)!.inputs.length === 0;
    const connect = (ready: (input: FusedInput) => boolean): void => {
      for (let i = unconnected.findIndex(ready); i >= 0; i = unconnected.findIndex(ready)) {
        const subscription = unconnected.splice(i, 1)[0]!.connect();
        if (subscription) subscriptions.add(subscription);
      }
    };
    const wiring = (input: FusedInput): boolean => !isProducer(input.sender);
    const runGroup = (group: (typeof groups)[number]): void => {
      if (results.closed) return;
      for (const start of group.starts) start();
      connect(wiring);
    };
    for (const group of groups) if (!isProducer(group.node.name)) runGroup(group);
    for (const group of groups) {
      if (!isProducer(group.node.name)) continue;
      runGroup(group);
      connect((input) => input.sender === group.node.name);
    }
    return undefined;
  });
}

/**
 * Connections that can be fused: one sending instance, one receiving instance with a single
 * input port, and nothing else reading the sender's port or writing the receiver's.
 */
function fusedConnections(graph: WorkflowGraph): Set<Connection> {
  const instances = new Map(graph.nodes.map((n) => [n.name, n]));
  const readersOf = new Map<string, number>();
  const writersOf = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1);
  };
  for (const c of graph.connections) {
    bump(readersOf, portKey(c.from, c.from.port));
    bump(writersOf, portKey(c.to, c.to.port));
  }
  for (const o of graph.outputs) bump(readersOf, portKey(o.from, o.from.port));
  const fused = new Set<Connection>();
  for (const c of graph.connections) {
    const from = instances.get(c.from.pe)!;
    const to = instances.get(c.to.pe)!;
    if (
      from.instances === 1 &&
      to.instances === 1 &&
      from.kind !== 'input' &&
      to.inputs.length === 1 &&
      readersOf.get(portKey(c.from, c.from.port)) === 1 &&
      writersOf.get(portKey(c.to, c.to.port)) === 1
    ) {
      fused.add(c);
    }
  }
  return fused;
}

/** The connection that is the only reader of a port, or a sentinel when there is not one. */
function onlyConnection(graph: WorkflowGraph, pe: string, port: string): Connection | undefined {
  const reading = graph.connections.filter((c) => c.from.pe === pe && c.from.port === port);
  const outputs = graph.outputs.filter((o) => o.from.pe === pe && o.from.port === port);
  return reading.length === 1 && outputs.length === 0 ? reading[0] : undefined;
}

/** The readers of every output port, keyed by port; fused connections are read directly. */
function collectReaders(
  graph: WorkflowGraph,
  traced: TracedWorkflow,
  fused: ReadonlySet<Connection>,
  connectionSink: (connection: Connection) => Reader['sink'],
  outputSink: (output: WorkflowGraph['outputs'][number]) => Reader['sink'],
): Map<string, Reader[]> {
  const readers = new Map<string, Reader[]>();
  const add = (from: PortRef, impl: EdgeImpl, sink: Reader['sink']): void => {
    const key = portKey(from, from.port);
    readers.set(key, [...(readers.get(key) ?? []), { ops: impl.ops, sink }]);
  };
  for (const connection of graph.connections) {
    if (fused.has(connection)) continue;
    add(connection.from, traced.connections[connection.id]!, connectionSink(connection));
  }
  graph.outputs.forEach((output, i) => add(output.from, traced.outputs[i]!, outputSink(output)));
  return readers;
}

function isDispel4tsError(error: unknown): boolean {
  return error instanceof Error && 'workflow' in error;
}

function portKey(node: { readonly name: string } | PortRef, port: string): string {
  return `${'name' in node ? node.name : node.pe}\0${port}`;
}
