import { writeFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { toDot } from '../graph/toDot.js';
import { toMermaid } from '../graph/toMermaid.js';
import type { GraphFormat } from './commands/graph.js';
import { formatError } from './formatError.js';
import { loadWorkflowFile } from './loadWorkflowFile.js';

/**
 * The action of `dispel4ts graph`: loads the file's workflow and prints its graph in
 * `format`; resolves the exit code.
 */
export async function printGraph(
  file: string,
  flags: {
    readonly format: GraphFormat;
    readonly attr?: string;
    readonly output?: string;
    readonly verbose?: boolean;
  },
): Promise<number> {
  try {
    const { workflow } = await loadWorkflowFile(file, flags.attr);
    const { graph } = workflow;
    let text: string;
    switch (flags.format) {
      case 'mermaid':
        text = toMermaid(graph);
        break;
      case 'dot':
        text = toDot(graph);
        break;
      case 'json':
        text = JSON.stringify(graph, null, 2) + '\n';
        break;
      case 'svg': {
        // Graphviz compiled to WebAssembly: loaded only here (it is a few MB).
        const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
        const graphviz = await Graphviz.load();
        text = graphviz.dot(toDot(graph), 'svg');
        break;
      }
    }
    if (flags.output === undefined || flags.output === '-') process.stdout.write(text);
    else {
      try {
        writeFileSync(flags.output, text);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(
          `cannot write "${flags.output}" (${code ?? 'error'})`,
          'check that its folder exists and is writable (-o FILE)',
          { cause: error },
        );
      }
    }
    return 0;
  } catch (error) {
    process.stderr.write(formatError(error, flags.verbose === true));
    return error instanceof UsageError ? error.exitCode : 1;
  }
}
