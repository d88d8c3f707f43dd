import type { GraphProblem } from '../errors.js';
import type { WorkflowGraph } from './WorkflowGraph.js';

/**
 * Checks a workflow graph and returns every problem at once, each with how to fix it:
 * duplicate PE names, connections to unknown PEs or ports, unconnected inputs, bad instance
 * counts and cycles. An empty array means the graph can run.
 */
export function validate(graph: WorkflowGraph): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const nodes = new Map<string, WorkflowGraph['nodes'][number]>();
  for (const node of graph.nodes) {
    if (nodes.has(node.name)) {
      problems.push({
        code: 'duplicate-name',
        pe: node.name,
        message: `Duplicate PE name "${node.name}": two different PEs share it. Give one of them a distinct name, e.g. pe('${node.name}2', ...).`,
      });
    } else {
      nodes.set(node.name, node);
    }
    if (!Number.isInteger(node.instances) || node.instances < 1) {
      problems.push({
        code: 'bad-instances',
        pe: node.name,
        message: `PE "${node.name}" has ${node.instances} instances: use a positive integer ({ instances: 1 } or more).`,
      });
    }
  }
  const fed = new Set<string>();
  const checkEnd = (pe: string, port: string, side: 'inputs' | 'outputs'): boolean => {
    const node = nodes.get(pe);
    if (!node) {
      problems.push({
        code: 'bad-connection',
        pe,
        port,
        message: `A connection refers to PE "${pe}", which is not in the workflow: add it, or fix the name.`,
      });
      return false;
    }
    if (!node[side].includes(port)) {
      const known = node[side].length ? node[side].map((p) => `"${p}"`).join(', ') : 'none';
      problems.push({
        code: 'unknown-port',
        pe,
        port,
        message: `PE "${pe}" has no ${side === 'inputs' ? 'input' : 'output'} port "${port}" (its ${side}: ${known}). Connect one of those, or declare the port.`,
      });
      return false;
    }
    return true;
  };
  for (const connection of graph.connections) {
    checkEnd(connection.from.pe, connection.from.port, 'outputs');
    if (checkEnd(connection.to.pe, connection.to.port, 'inputs')) {
      fed.add(`${connection.to.pe}\0${connection.to.port}`);
    }
  }
  for (const output of graph.outputs) checkEnd(output.from.pe, output.from.port, 'outputs');
  for (const node of nodes.values()) {
    for (const port of node.inputs) {
      if (!fed.has(`${node.name}\0${port}`)) {
        problems.push({
          code: 'unconnected-input',
          pe: node.name,
          port,
          message: `Input "${port}" of PE "${node.name}" is not connected: connect an output to it, or remove the port.`,
        });
      }
    }
  }
  // Two PEs sharing a name look like one PE connected to itself: not a cycle to report.
  const duplicated = new Set(problems.flatMap((p) => (p.code === 'duplicate-name' ? [p.pe!] : [])));
  const cycle = findCycle(graph, duplicated);
  if (cycle) {
    problems.push({
      code: 'cycle',
      pe: cycle[0],
      message: `The graph has a cycle (${cycle.join(' -> ')}): dispel4ts runs DAGs; unroll the loop into a chain of PEs (see examples/graph_testing/sieve.ts).`,
    });
  }
  return problems;
}

function findCycle(graph: WorkflowGraph, duplicated: ReadonlySet<string>): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const c of graph.connections) {
    if (c.from.pe === c.to.pe && duplicated.has(c.from.pe)) continue;
    next.set(c.from.pe, [...(next.get(c.from.pe) ?? []), c.to.pe]);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (pe: string): string[] | undefined => {
    if (state.get(pe) === 'done') return undefined;
    if (state.get(pe) === 'visiting') return [...path.slice(path.indexOf(pe)), pe];
    state.set(pe, 'visiting');
    path.push(pe);
    for (const to of next.get(pe) ?? []) {
      const found = visit(to);
      if (found) return found;
    }
    path.pop();
    state.set(pe, 'done');
    return undefined;
  };
  for (const node of graph.nodes) {
    const found = visit(node.name);
    if (found) return found;
  }
  return undefined;
}
