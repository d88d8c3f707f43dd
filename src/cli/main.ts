import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { commands } from './commands.js';
import { formatError } from './formatError.js';

/**
 * The `dispel4ts` command: parses the arguments (commander), runs the subcommand, and turns
 * any failure into one line on stderr and a non-zero exit code (2 for bad input, 1 for a
 * failed run); `--verbose` adds the stack.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('dispel4ts')
    .description(
      "Run, inspect and draw dispel4ts stream workflows: dispel4py's workflows in TypeScript on RxJS.",
    )
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (also: dispel4ts help <command>)')
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      // Commander's own errors (unknown option, bad number) in the same one-line form.
      outputError: (text, write) =>
        write(`dispel4ts: ${text.trimEnd().replace(/\.?$/, '.')} See --help.\n`),
    });
  for (const command of commands) command(program);
  program.addHelpText(
    'after',
    `
Examples:
  $ dispel4ts run examples/workloads/pipeline.ts -i 10
  $ dispel4ts run examples/workloads/wordcount.ts -i 100000 --backend threads -n 2 --timing
  $ dispel4ts simple examples/graph_testing/pipeline_test.ts -i 5
  $ dispel4ts multi -n 4 examples/workloads/isprime.ts -i 40000
  $ dispel4ts graph examples/graph_testing/split_merge.ts --format svg -o split_merge.svg`,
  );
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (help and --version exit 0).
      return error.exitCode === 0 ? 0 : 2;
    }
    const verbose = argv.includes('--verbose');
    process.stderr.write(formatError(error, verbose));
    return exitCodeOf(error);
  }
}

function exitCodeOf(error: unknown): number {
  return typeof error === 'object' &&
    error !== null &&
    'exitCode' in error &&
    typeof error.exitCode === 'number'
    ? error.exitCode
    : 1;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
