import type { Command } from 'commander';

/**
 * A `dispel4ts` subcommand: a function that adds itself (arguments, options, help with
 * examples and its action) to the program. Each lives in its own file under `commands/`
 * and is listed once in `commands.ts`. Its action imports what it needs lazily, so adding
 * a command costs the other commands nothing at start-up.
 */
export type CliCommand = (program: Command) => void;
