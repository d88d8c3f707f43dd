import { describeGrouping } from './describeGrouping.js';
import type { WorkflowGraph } from './WorkflowGraph.js';

/**
 * A workflow graph as a Mermaid flowchart (what `dispel4ts graph --format mermaid` prints):
 * one node per PE with its kind and instance count, one edge per connection labelled with
 * its ports and grouping, and the workflow outputs as rounded end nodes. GitHub and most
 * Markdown viewers draw it.
 *
 * @example
 * ```ts
 * import { toMermaid } from 'dispel4ts';
 * console.log(toMermaid(pipeline.graph));
 * // Output:
 * // flowchart LR
 * //   n0["Numbers<br/><i>producer</i>"]
 * //   ...
 * ```
 */
export function toMermaid(graph: WorkflowGraph): string {
  const ids = new Map(graph.nodes.map((node, i) => [node.name, `n${i}`]));
  const lines = ['flowchart LR', `  %% workflow ${graph.name}`];
  for (const node of graph.nodes) {
    const detail = [
      node.kind === 'pe' ? '' : node.kind,
      node.instances > 1 ? `×${node.instances}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(
      `  ${ids.get(node.name)}["${escape(node.name)}${detail ? `<br/><i>${detail}</i>` : ''}"]`,
    );
  }
  for (const c of graph.connections) {
    const ports =
      c.from.port === 'output' && c.to.port === 'input' ? '' : `${c.from.port} → ${c.to.port}<br/>`;
    lines.push(
      `  ${ids.get(c.from.pe)} -- "${escape(ports + describeGrouping(c.grouping))}" --> ${ids.get(c.to.pe)}`,
    );
  }
  graph.outputs.forEach((output, i) => {
    lines.push(`  o${i}(["${escape(output.name)}"])`);
    const port = output.from.port === 'output' ? '' : ` -- "${escape(output.from.port)}"`;
    lines.push(`  ${ids.get(output.from.pe)}${port} -.-> o${i}`);
  });
  return lines.join('\n') + '\n';
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
