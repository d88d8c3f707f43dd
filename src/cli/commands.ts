import type { CliCommand } from './CliCommand.js';
import { graphCommand } from './commands/graph.js';
import { mappingCommands } from './commands/mappings.js';
import { nodeCommand } from './commands/node.js';
import { runCommand } from './commands/run.js';

/** Every subcommand of `dispel4ts`, in `--help` order. Add a command: one file, one line. */
export const commands: readonly CliCommand[] = [
  runCommand,
  mappingCommands,
  graphCommand,
  nodeCommand,
];
