import { Option, type Command } from 'commander';
import type { CliCommand } from '../CliCommand.js';
import { backends } from '../backends.js';
import { addRunOptions, type RunFlags } from '../runOptions.js';

/**
 * `dispel4ts run <workflow-file>`: runs a workflow file's workflow on a backend and prints
 * its results as JSON lines.
 */
export const runCommand: CliCommand = (program: Command) => {
  const command = program
    .command('run')
    .description('run a workflow file on a backend; results as JSON lines on stdout')
    .argument('<workflow-file>', 'a .ts, .mts, .js or .mjs module that exports a workflow')
    .addOption(
      new Option(
        '-b, --backend <name>',
        `where to run it: ${backends.map((b) => b.name).join(', ')}`,
      ).default('sequential'),
    );
  addRunOptions(command)
    .addHelpText(
      'after',
      `
Backends:
${backends.map((b) => `  ${b.name.padEnd(11)} ${b.description}${b.processes ? `; -n: ${b.processes.description}` : ''}`).join('\n')}

Examples:
  $ dispel4ts run examples/workloads/pipeline.ts -i 10
  {"output":"Sum","value":75}
  $ dispel4ts run examples/graph_testing/split_merge.ts -i 3 -o results.jsonl
  $ dispel4ts run examples/workloads/wordcount.ts -i 100000 --backend threads -n 2 --timing
  $ dispel4ts run examples/quickstart.ts -d '{"Numbers": [1, 2, 3]}'
  $ dispel4ts run my_workflows.ts -a cleaning -f input.json | jq .value`,
    )
    .action(async (file: string, flags: RunFlags) => {
      const { runWorkflowFile } = await import('../runWorkflowFile.js');
      process.exitCode = await runWorkflowFile(file, flags.backend ?? 'sequential', flags);
    });
};
