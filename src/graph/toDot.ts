import { describeGrouping } from './describeGrouping.js';
import type { PENode, WorkflowGraph } from './WorkflowGraph.js';

/**
 * A workflow graph in Graphviz's DOT language (`dispel4ts graph --format dot`, and the
 * source of `--format svg`): PEs as boxes with their kind and instance count, composites as
 * clusters, connections labelled with ports and grouping, workflow outputs as ovals.
 *
 * @example
 * ```ts
 * import { toDot } from 'dispel4ts';
 * console.log(toDot(pipeline.graph));
 * // Output: digraph "pipeline" { rankdir=LR; ... }
 * ```
 */
export function toDot(graph: WorkflowGraph): string {
  const ids = new Map(graph.nodes.map((node, i) => [node.name, `n${i}`]));
  const lines = [
    `digraph ${quote(graph.name)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
  ];
  // Composite PEs as nested clusters.
  const root: Cluster = { name: '', nodes: [], children: new Map() };
  for (const node of graph.nodes) {
    let cluster = root;
    for (const name of node.composite ?? []) {
      let child = cluster.children.get(name);
      if (!child) {
        child = { name, nodes: [], children: new Map() };
        cluster.children.set(name, child);
      }
      cluster = child;
    }
    cluster.nodes.push(node);
  }
  let clusters = 0;
  const emit = (cluster: Cluster, indent: string): void => {
    for (const node of cluster.nodes)
      lines.push(`${indent}${ids.get(node.name)} [label=${quote(label(node))}${style(node)}];`);
    for (const child of cluster.children.values()) {
      lines.push(
        `${indent}subgraph cluster_${clusters++} {`,
        `${indent}  label=${quote(child.name)}; style=dashed; fontname="Helvetica";`,
      );
      emit(child, `${indent}  `);
      lines.push(`${indent}}`);
    }
  };
  emit(root, '  ');
  for (const c of graph.connections) {
    const ports =
      c.from.port === 'output' && c.to.port === 'input' ? '' : `${c.from.port} → ${c.to.port}\n`;
    lines.push(
      `  ${ids.get(c.from.pe)} -> ${ids.get(c.to.pe)} [label=${quote(ports + describeGrouping(c.grouping))}];`,
    );
  }
  graph.outputs.forEach((output, i) => {
    lines.push(
      `  o${i} [label=${quote(output.name)}, shape=oval, style=filled, fillcolor="#e8f5e9"];`,
    );
    const port = output.from.port === 'output' ? '' : `label=${quote(output.from.port)}, `;
    lines.push(`  ${ids.get(output.from.pe)} -> o${i} [${port}style=dashed];`);
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}

interface Cluster {
  readonly name: string;
  readonly nodes: PENode[];
  readonly children: Map<string, Cluster>;
}

function label(node: PENode): string {
  const name = node.composite?.length
    ? node.name.slice(node.composite.join('/').length + 1) || node.name
    : node.name;
  const detail = [
    node.kind === 'pe' ? '' : node.kind,
    node.instances > 1 ? `×${node.instances}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return detail ? `${name}\n${detail}` : name;
}

function style(node: PENode): string {
  if (node.kind === 'producer') return ', fillcolor="#fff4e0"';
  if (node.kind === 'input') return ', shape=cds, fillcolor="#f3e5f5"';
  return '';
}

/** A DOT string literal. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
