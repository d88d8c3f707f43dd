import { Option, type Command } from 'commander';
import type { CliCommand } from '../CliCommand.js';

/** What `dispel4ts graph` can print. */
export type GraphFormat = 'mermaid' | 'dot' | 'svg' | 'json';

interface GraphFlags {
  readonly format: GraphFormat;
  readonly attr?: string;
  readonly output?: string;
  readonly verbose?: boolean;
}

/**
 * `dispel4ts graph <workflow-file>`: the workflow graph, with ports, groupings and instance
 * counts, as Mermaid, DOT, SVG (rendered in-process by Graphviz compiled to WebAssembly, no
 * system Graphviz needed) or JSON.
 */
export const graphCommand: CliCommand = (program: Command) => {
  program
    .command('graph')
    .description('print the workflow graph: PEs, ports, groupings and instance counts')
    .argument('<workflow-file>', 'a .ts, .mts, .js or .mjs module that exports a workflow')
    .addOption(
      new Option('-F, --format <format>', 'output format')
        .choices(['mermaid', 'dot', 'svg', 'json'])
        .default('mermaid'),
    )
    .option('-a, --attr <export>', 'which workflow export, when the file has several')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--verbose', 'print stack traces with errors')
    .addHelpText(
      'after',
      `
Examples:
  $ dispel4ts graph examples/workloads/pipeline.ts                 # Mermaid, for Markdown
  $ dispel4ts graph examples/graph_testing/split_merge.ts --format dot
  $ dispel4ts graph examples/graph_testing/word_count.ts --format svg -o word_count.svg
  $ dispel4ts graph examples/quickstart.ts --format json | jq '.nodes[].name'`,
    )
    .action(async (file: string, flags: GraphFlags) => {
      const { printGraph } = await import('../printGraph.js');
      process.exitCode = await printGraph(file, flags);
    });
};
