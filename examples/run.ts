/**
 * Runs an example workflow file on the sequential backend and prints its results, checked
 * against the file's `expected(iterations)` when it exports one:
 *
 * ```sh
 * npx tsx examples/run.ts examples/graph_testing/split_merge.ts 3
 * npx tsx examples/run.ts examples/workloads/wordcount.ts 100000 CountWords=4
 * ```
 *
 * Arguments: the file, the iterations (default 10), then `PE=k` instance overrides. Exits
 * with 1 when the answer differs from `expected`. (`npx dispel4ts run <file> -i N` does the
 * same, without the check.)
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collect, type Workflow } from '../src/index.js';
import { multiset, nearlyEqual } from '../src/testing/index.js';

type AnyWorkflow = Workflow<unknown, Record<string, unknown>>;

function isWorkflow(value: unknown): value is AnyWorkflow {
  return typeof value === 'object' && value !== null && 'graph' in value && 'name' in value;
}

async function main([file, iterationsArg = '10', ...overrides]: string[]): Promise<number> {
  if (!file) {
    console.error('usage: npx tsx examples/run.ts <workflow-file> [iterations] [PE=instances ...]');
    return 2;
  }
  const module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  const workflows = Object.values(module).filter(isWorkflow);
  if (workflows.length !== 1) {
    console.error(`${file} exports ${workflows.length} workflows; expected exactly one`);
    return 2;
  }
  const iterations = Number(iterationsArg);
  const instances = Object.fromEntries(
    overrides.map((o) => {
      const [pe, k] = o.split('=');
      return [pe!, Number(k)];
    }),
  );
  const started = performance.now();
  const results = await collect(workflows[0]!, undefined, { iterations, instances });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify(results));
  console.error(`${workflows[0]!.name}: ${iterations} iterations in ${seconds.toFixed(3)} s`);
  const expected = module['expected'];
  if (typeof expected !== 'function') return 0;
  const answer = (expected as (n: number) => Record<string, unknown[]>)(iterations);
  const same =
    Object.keys(answer).every((k) => k in results) &&
    Object.entries(answer).every(([k, values]) =>
      nearlyEqual(multiset(results[k] as unknown[]), multiset(values)),
    );
  console.error(
    same ? 'answer: as expected' : `answer: differs; expected ${JSON.stringify(answer)}`,
  );
  return same ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
