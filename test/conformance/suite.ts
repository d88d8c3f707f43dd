/**
 * The backend conformance suite: every example and fixture workflow run on a backend must
 * give the sequential backend's results (as multisets where the order across instances is
 * not defined, in order where it is), and every required failure must surface as its typed
 * error. A backend's spec is one line:
 *
 * ```ts
 * describeBackend('threads', () => threads({ workers: 2 }));
 * ```
 *
 * Workflows come from modules (`examples/`, `test/fixtures/`) that export them, so backends
 * that run PEs in other threads, processes or machines can import them by path.
 */
import { describe, expect, it } from 'vitest';
import {
  collect,
  GraphError,
  hashKey,
  PEError,
  UncloneableValueError,
  type Backend,
  type RunOptions,
  type Workflow,
} from '../../src/index.js';
import { sequential } from '../../backends/sequential/index.js';
import { expectSameResults } from '../helpers/results.js';
import * as failures from '../fixtures/failures.js';
import { cases, semanticsCases, type Case } from './cases.js';

/** Options of {@link describeBackend}. */
export interface ConformanceOptions {
  /** Per-test timeout in ms (default 30 s): a run that hangs fails. */
  readonly timeout?: number;
}

type AnyWorkflow = Workflow<unknown, Record<string, unknown>>;

/** The error a run rejects with (fails the test if the run succeeds). */
async function rejectionOf(
  workflow: unknown,
  backend: Backend,
  options: RunOptions<unknown> = {},
): Promise<unknown> {
  try {
    const results = await collect(workflow as AnyWorkflow, backend, options);
    expect.unreachable(`the run succeeded with ${JSON.stringify(results)}`);
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Defines the conformance tests of one backend. `makeBackend` is called for every run.
 */
export function describeBackend(
  name: string,
  makeBackend: () => Backend,
  options: ConformanceOptions = {},
): void {
  const timeout = options.timeout ?? 30_000;

  const conforms = (example: Case) => async () => {
    const reference = await collect(example.workflow, sequential(), example.options);
    const results = await collect(example.workflow, makeBackend(), example.options);
    expectSameResults(results, reference, example);
    expectSameResults(results, example.expected, example);
    example.check?.(results);
  };

  describe(`conformance: ${name}`, () => {
    describe('gives the sequential backend’s results for every example', () => {
      for (const example of cases) it(example.name, conforms(example), timeout);
    });

    describe('keeps the semantics of tees, broadcast, input data and input streams', () => {
      for (const example of semanticsCases) it(example.name, conforms(example), timeout);
    });

    describe('fails loudly, with typed errors', () => {
      it(
        'rejects a throwing PE with a PEError naming workflow, PE, instance and item',
        async () => {
          const error = await rejectionOf(failures.failingPE, makeBackend(), { iterations: 10 });
          expect(error).toBeInstanceOf(PEError);
          expect(error).toMatchObject({
            name: 'PEError',
            workflow: 'failingPE',
            pe: 'Explode',
            instance: hashKey(failures.BAD_ITEM) % 2,
            hasItem: true,
            item: failures.BAD_ITEM,
          });
          expect((error as PEError).message).toContain('3 is not allowed');
        },
        timeout,
      );

      for (const kind of Object.keys(failures.UNCLONEABLE) as failures.UncloneableKind[]) {
        for (const [where, workflow] of [
          ['to a PE', failures.uncloneableOnConnection],
          ['to a workflow output', failures.uncloneableOnOutput],
        ] as const) {
          it(
            `rejects a ${kind} written ${where} with an UncloneableValueError naming PE and port`,
            async () => {
              const error = await rejectionOf(workflow, makeBackend(), {
                data: { Kinds: [kind] },
              });
              expect(error).toBeInstanceOf(UncloneableValueError);
              expect(error).toMatchObject({
                name: 'UncloneableValueError',
                workflow: workflow.name,
                pe: 'MakeValue',
                port: 'output',
                path: failures.UNCLONEABLE[kind].path,
              });
            },
            timeout,
          );
        }
      }

      it(
        'rejects a bad graph with a GraphError listing every problem, before the backend runs anything',
        async () => {
          for (const [workflow, codes] of [
            [failures.unconnectedInput, ['unconnected-input']],
            [failures.manyProblems, ['cycle', 'unknown-port', 'unconnected-input']],
          ] as const) {
            const backend = makeBackend();
            let executed = false;
            const watched: Backend = {
              name: backend.name,
              ...(backend.unsupported ? { unsupported: (g) => backend.unsupported!(g) } : {}),
              execute: (wf, spec) => {
                executed = true;
                return backend.execute(wf, spec);
              },
            };
            const error = await rejectionOf(workflow, watched, { iterations: 3 });
            expect(error).toBeInstanceOf(GraphError);
            expect((error as GraphError).workflow).toBe(workflow.name);
            expect((error as GraphError).problems.map((p) => p.code)).toEqual(
              expect.arrayContaining([...codes]),
            );
            expect(executed, 'the backend was asked to run an invalid graph').toBe(false);
          }
        },
        timeout,
      );
    });
  });
}
