import { InvalidArgumentError, Option, type Command } from 'commander';
import type { BackendEntry } from './BackendEntry.js';
import { backends } from './backends.js';

/** The options of `dispel4ts run` and of the mapping commands, as commander parses them. */
export interface RunFlags {
  readonly iterations?: number;
  readonly data?: string;
  readonly file?: string;
  readonly processes?: number;
  readonly attr?: string;
  readonly output?: string;
  readonly backend?: string;
  /** `--timing`: true, or the file to write the JSON to. */
  readonly timing?: boolean | string;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
  readonly [backendOption: string]: unknown;
}

/**
 * Adds the options every run takes (dispel4py's `-i -d -f -n -a`, and `-o --timing
 * --quiet --verbose`) to `command`, and the options of `entries`' backends.
 */
export function addRunOptions(
  command: Command,
  entries: readonly BackendEntry[] = backends,
): Command {
  command
    .option('-i, --iterations <n>', 'iterations of every producer (default 1)', integer('-i', 0))
    .option(
      '-d, --data <json>',
      'input data as JSON: {"PE": [items...]}, or [items...] for the workflow input',
    )
    .option('-f, --file <path>', 'a JSON file of input data (as -d)')
    .addOption(
      new Option(
        '-n, --processes <n>',
        'processes / threads / ranks, for backends that take it',
      ).argParser(integer('-n', 1)),
    )
    .option('-a, --attr <export>', 'which workflow export to run, when the file has several')
    .option('-o, --output <file>', 'write the results (JSON lines) to a file instead of stdout')
    .option(
      '--timing [file]',
      'after the run, time and items per PE: a table on stderr, and JSON (into file, or on stderr)',
    )
    .option('-q, --quiet', 'no progress and no messages on stderr, only errors')
    .option('--verbose', 'print stack traces with errors');
  for (const entry of entries) {
    for (const option of entry.options ?? []) {
      command.addOption(new Option(option.flags, `${option.description} (${entry.name} backend)`));
    }
  }
  return command;
}

/** A commander parser for an integer of at least `min`. */
function integer(flag: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n)) {
      throw new InvalidArgumentError(`${flag} takes a whole number, got "${value}".`);
    }
    if (n < min) throw new InvalidArgumentError(`${flag} must be at least ${min}, got ${n}.`);
    return n;
  };
}
