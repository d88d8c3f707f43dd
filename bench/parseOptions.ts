import { Command, InvalidArgumentError } from 'commander';
import type { BenchOptions } from './BenchOptions.js';

const positive = (value: string): number => {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};
const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const integers = (value: string): number[] => list(value).map(positive);

/**
 * Parses the harness's command line (commander). Exits with usage on a bad option, as
 * commander does.
 */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const program = new Command('npm run bench --')
    .description(
      'Runs the benchmark workloads (W1-W5) on every available backend, with plain-loop and plain-RxJS baselines, and writes JSON, a Markdown report and SVG charts.',
    )
    .option('--workload <ids>', 'workloads to run, e.g. W1,W3 (also W1-bounded)', list)
    .option('--backend <names>', 'backends to run, e.g. sequential,threads', list)
    .option('--k <ks>', 'instances of the parallel PE, and workers to match, e.g. 1,2', integers)
    .option('--n <N>', 'size of every selected workload (default: each its own)', positive)
    .option('--repeat <R>', 'measured runs per configuration (default 5; quick 1)', positive)
    .option(
      '--processes <P>',
      'fresh processes per configuration, their runs pooled (default 1; quick 1)',
      positive,
    )
    .option('--json <file>', 'also write the records to this JSON file')
    .option('--out <dir>', 'folder for the report, JSON and charts')
    .option('--quick', 'small sizes and one run: checks the harness in well under a minute')
    .option('--timeout <s>', 'longest one measuring child may take, in seconds', positive, 300)
    .allowExcessArguments(false)
    .parse(argv, { from: 'user' });
  const o = program.opts<{
    workload?: string[];
    backend?: string[];
    k?: number[];
    n?: number;
    repeat?: number;
    processes?: number;
    json?: string;
    out?: string;
    quick?: boolean;
    timeout: number;
  }>();
  const quick = o.quick ?? false;
  return {
    workloads: o.workload,
    backends: o.backend,
    ks: o.k ?? [1, 2],
    n: o.n,
    repeat: o.repeat ?? (quick ? 1 : 5),
    processes: quick ? 1 : (o.processes ?? 1),
    json: o.json,
    out: o.out ?? (quick ? 'bench/results/quick' : 'bench/results'),
    quick,
    timeoutS: o.timeout,
  };
}
