import { Subscription } from 'rxjs';
import { run } from '../dsl/run.js';
import { RunStats } from '../runtime/RunStats.js';
import { UsageError } from '../errors.js';
import type { BackendFlags } from './BackendEntry.js';
import { backends, findBackend } from './backends.js';
import { formatError } from './formatError.js';
import { loadWorkflowFile } from './loadWorkflowFile.js';
import { parseInputData } from './parseInputData.js';
import { ResultWriter } from './ResultWriter.js';
import type { RunFlags } from './runOptions.js';

/** The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

/** Items a sequential run's producers push between two turns of the event loop. */
const YIELD_EVERY = 4096;

/**
 * The action of `dispel4ts run` and the mapping commands: checks the flags against the
 * backend's registry entry, loads the workflow file and input data, runs the workflow and
 * writes each result as a JSON line as it comes. Resolves the exit code: 0, 1 when the run
 * failed, 2 for bad input, 130 after Ctrl-C (results already written stay written).
 */
export async function runWorkflowFile(
  file: string,
  backendName: string,
  flags: RunFlags,
): Promise<number> {
  const verbose = flags.verbose === true;
  try {
    const entry = findBackend(backendName);
    const backendFlags = checkFlags(entry.name, flags);
    const served = entry.worker?.(backendFlags);
    if (served) return await served;
    const input = parseInputData(flags.data, flags.file);
    const { workflow } = await loadWorkflowFile(file, flags.attr);
    const pes = workflow.graph.nodes.map((n) => n.name);
    for (const pe of Object.keys(input.data ?? {})) {
      if (!pes.includes(pe)) {
        throw new UsageError(
          `${flags.data !== undefined ? '-d' : '-f'} gives data to PE "${pe}", which workflow "${workflow.name}" does not have`,
          `name one of its PEs: ${pes.join(', ')}`,
        );
      }
    }
    const backend = await entry.create(backendFlags);
    const writer = new ResultWriter(flags.output);
    const timing = flags.timing !== undefined && flags.timing !== false;
    const showProgress = !flags.quiet && process.stderr.isTTY === true;
    const stats = timing || showProgress ? new RunStats({ timing }) : undefined;
    const order = workflow.graph.nodes.map((n) => n.name);
    // Loaded only for a terminal: start-up of a piped run does not pay for it.
    const progress = showProgress
      ? new (await import('./Progress.js')).Progress(
          stats!,
          `${workflow.name} on ${entry.name}`,
          order,
        )
      : undefined;
    const started = performance.now();
    const code = await new Promise<number>((resolve) => {
      // Finished synchronously before subscribe() returns: add() then unsubscribes the
      // run's subscription at once.
      const subscription = new Subscription();
      const finish = (code: number, error?: unknown): void => {
        process.off('SIGINT', onInterrupt);
        subscription.unsubscribe();
        writer.close();
        progress?.stop(code !== INTERRUPTED);
        if (error !== undefined) process.stderr.write(formatError(error, verbose));
        resolve(code);
      };
      const onInterrupt = (): void => {
        finish(INTERRUPTED);
        if (!flags.quiet) {
          process.stderr.write(`dispel4ts: interrupted; ${writer.count} results written\n`);
        }
      };
      process.on('SIGINT', onInterrupt);
      subscription.add(
        run(workflow, backend, {
          ...(flags.iterations !== undefined ? { iterations: flags.iterations } : {}),
          ...(input.data ? { data: input.data } : {}),
          ...(input.input ? { input: input.input } : {}),
          ...(stats ? { stats } : {}),
          // A long sequential run still redraws progress, flushes results and hears Ctrl-C.
          yieldEvery: YIELD_EVERY,
        }).subscribe({
          next: ({ output, value }) => writer.write(output, value),
          error: (error: unknown) => finish(1, error),
          complete: () => finish(0),
        }),
      );
    });
    if (timing && code === 0) {
      const wallMs = performance.now() - started;
      const { summarizeStats } = await import('./summarizeStats.js');
      const { printTiming } = await import('./printTiming.js');
      printTiming(
        summarizeStats(stats!.snapshot(true), order, wallMs),
        { workflow: workflow.name, backend: entry.name, wallMs },
        typeof flags.timing === 'string' ? flags.timing : undefined,
      );
    }
    return code;
  } catch (error) {
    process.stderr.write(formatError(error, verbose));
    return error instanceof UsageError ? error.exitCode : 1;
  }
}

/** The flags for the backend's factory; a {@link UsageError} for a flag it does not take. */
function checkFlags(backend: string, flags: RunFlags): BackendFlags {
  const entry = findBackend(backend);
  if (flags.processes !== undefined && !entry.processes) {
    const takers = backends.filter((b) => b.processes).map((b) => `--backend ${b.name}`);
    throw new UsageError(
      `-n is not used by the ${entry.name} backend (it runs in one thread)`,
      `drop -n, or pick a backend that takes it: ${takers.join(', ')}`,
    );
  }
  const options: Record<string, unknown> = {};
  for (const other of backends) {
    for (const option of other.options ?? []) {
      const key = attributeName(option.flags);
      if (flags[key] === undefined) continue;
      if (other !== entry) {
        throw new UsageError(
          `${longFlag(option.flags)} is an option of the ${other.name} backend`,
          `add --backend ${other.name}, or drop it`,
        );
      }
      options[key] = flags[key];
    }
  }
  return {
    ...(flags.processes !== undefined ? { processes: flags.processes } : {}),
    options,
    verbose: flags.verbose === true,
  };
}

/** `'--broker-url <url>'` → `'--broker-url'`. */
function longFlag(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags;
}

/** Commander's attribute name of a flag: `--broker-url` → `brokerUrl`. */
function attributeName(flags: string): string {
  return longFlag(flags)
    .replace(/^--(no-)?/, '')
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
