import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dispel4ts, root } from '../helpers/cli.js';

const CLI_TIMEOUT = 120_000;
const FROM_SOURCE = { env: { DISPEL4TS_FROM_SOURCE: '1' } };
const rootUrl = pathToFileURL(`${root}/`).href.replace(/\/+$/, '/');

/** A plain-JavaScript module of the repository, by path (they have no type declarations). */
async function load<T>(path: string): Promise<T> {
  const url = pathToFileURL(join(root, path)).href;
  return (await import(url)) as T;
}

describe('the command runs dispel4ts compiled (dist/)', { timeout: CLI_TIMEOUT }, () => {
  it('runs from a dist/ compiled after every source', async () => {
    const run = await dispel4ts(['run', 'examples/workloads/pipeline.ts', '-i', '10', '-q']);
    expect(run.stdout).toBe('{"output":"Sum","value":75}\n');
    const { newestSource } = await load<{ newestSource: () => Promise<number> }>(
      'scripts/compile.mjs',
    );
    expect(statSync(join(root, 'dist/.compiled')).mtimeMs).toBeGreaterThanOrEqual(
      await newestSource(),
    );
  });

  it('gives a workflow file the compiled modules and the bundled rxjs, and from source the sources', async () => {
    const [compiled, source] = await Promise.all([
      dispel4ts(['run', 'test/fixtures/cli/resolved.ts', '-i', '3', '-q']),
      dispel4ts(['run', 'test/fixtures/cli/resolved.ts', '-i', '3', '-q'], FROM_SOURCE),
    ]);
    expect(JSON.parse(compiled.stderr)).toEqual({
      rxjs: `${rootUrl}dist/vendor/rxjs.js`,
      dispel4ts: `${rootUrl}dist/src/index.js`,
    });
    const fromSource = JSON.parse(source.stderr) as { rxjs: string; dispel4ts: string };
    expect(fromSource.dispel4ts).toBe(`${rootUrl}src/index.ts`);
    expect(fromSource.rxjs).toContain('/node_modules/rxjs/');
    expect(compiled.lines()).toEqual(source.lines());
    expect(compiled.lines().map((l) => l.value)).toEqual([0, 2, 4]);
  });

  it('gives the same results compiled and from source, on worker threads too', async () => {
    const args = [
      'run',
      'examples/workloads/wordcount.ts',
      '-i',
      '2000',
      '--backend',
      'threads',
      '-n',
      '2',
      '-q',
    ];
    const [compiled, source] = await Promise.all([dispel4ts(args), dispel4ts(args, FROM_SOURCE)]);
    expect(compiled.code).toBe(0);
    const sorted = (run: typeof compiled): string[] =>
      run.stdout.split('\n').filter(Boolean).sort();
    expect(sorted(compiled).length).toBeGreaterThan(100);
    expect(sorted(compiled)).toEqual(sorted(source));
  });
});

describe('the module hooks of the compiled command', () => {
  type Resolved = { url: string; format?: string; shortCircuit?: boolean };
  type Next = (specifier: string) => Promise<Resolved>;
  const hooks = (): Promise<{
    initialize: (data: { root: string }) => void;
    resolve: (specifier: string, context: object, next: Next) => Promise<Resolved>;
  }> => load('bin/compiledSources.mjs');

  it('maps dispel4ts sources to dist/ and rxjs to the bundled copy; leaves the rest', async () => {
    const { initialize, resolve } = await hooks();
    initialize({ root: 'file:///pkg/' });
    const next: Next = (specifier) =>
      Promise.resolve({ url: `file:///pkg/${specifier}`, format: 'module' });
    expect((await resolve('src/dsl/pe.ts', {}, next)).url).toBe('file:///pkg/dist/src/dsl/pe.js');
    expect((await resolve('backends/threads/workerMain.ts', {}, next)).url).toBe(
      'file:///pkg/dist/backends/threads/workerMain.js',
    );
    expect(await resolve('rxjs/operators', {}, next)).toEqual({
      url: 'file:///pkg/dist/vendor/rxjs-operators.js',
      format: 'module',
      shortCircuit: true,
    });
    expect((await resolve('examples/quickstart.ts', {}, next)).url).toBe(
      'file:///pkg/examples/quickstart.ts',
    );
    expect((await resolve('node_modules/commander/index.js', {}, next)).url).toBe(
      'file:///pkg/node_modules/commander/index.js',
    );
  });
});
