import type { Command } from 'commander';
import type { CliCommand } from '../CliCommand.js';
import { backends } from '../backends.js';
import { addRunOptions, type RunFlags } from '../runOptions.js';

/**
 * dispel4py's spellings: `dispel4ts simple <file>`, `dispel4ts multi -n 4 <file>`, and one
 * command for the mapping name of every backend entry that has one (`mpi` once its entry is
 * registered), each the same as `dispel4ts run <file> --backend NAME`.
 */
export const mappingCommands: CliCommand = (program: Command) => {
  for (const entry of backends) {
    if (!entry.mapping) continue;
    const command = program
      .command(entry.mapping)
      .description(
        `run on the ${entry.name} backend: dispel4py's "${entry.mapping}" (= run --backend ${entry.name})`,
      )
      .argument('<workflow-file>', 'a .ts, .mts, .js or .mjs module that exports a workflow');
    addRunOptions(command, [entry])
      .addHelpText(
        'after',
        `
Examples:
  $ dispel4ts ${entry.mapping}${entry.processes ? ' -n 4' : ''} examples/workloads/pipeline.ts -i 10`,
      )
      .action(async (file: string, flags: RunFlags) => {
        const { runWorkflowFile } = await import('../runWorkflowFile.js');
        process.exitCode = await runWorkflowFile(file, entry.name, flags);
      });
  }
};
