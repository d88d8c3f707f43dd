import { readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendError } from '../../src/errors.js';
import { routeDynamicImports } from './dynamicImports.js';

/** The dispel4ts package root (where src/, operators/, backends/ live). */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Marks, in a bundle, an import of dispel4ts itself (`d4ts-lib:src/index.ts`). */
export const LIB = 'd4ts-lib:';
/** Marks, in a bundle, an import of a package dispel4ts depends on (`d4ts-ext:rxjs`). */
export const EXT = 'd4ts-ext:';

const libraryDirs = ['src', 'operators', 'backends'].map((d) => join(packageRoot, d) + sep);

function dependencies(): Set<string> {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  return new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** A bundle made earlier, and the files it was made from (path, mtime, size). */
interface Made {
  readonly code: string;
  readonly inputs: readonly (readonly [path: string, mtimeMs: number, size: number])[];
}

const made = new Map<string, Made>();

/** The bundle made earlier for `module`, if none of the files it was made from changed. */
function unchanged(module: string): string | undefined {
  const earlier = made.get(module);
  if (!earlier) return undefined;
  for (const [path, mtimeMs, size] of earlier.inputs) {
    const now = statSync(path, { throwIfNoEntry: false });
    if (!now || now.mtimeMs !== mtimeMs || now.size !== size) return undefined;
  }
  return earlier.code;
}

/**
 * @internal Bundles the module that defines a workflow into one ES module (esbuild, loaded
 * lazily), so a node can run it without the workflow's source. A bundle is kept for the next
 * run of the same module, and made again when a file it was made from changes: esbuild took
 * 10-30 ms a run here (more than connecting and discovering the nodes), on a core the nodes
 * were using. Everything the module
 * imports is inlined except dispel4ts itself and the packages dispel4ts depends on (rxjs,
 * ...): those stay imports, marked {@link LIB} / {@link EXT}, which the node points at its
 * own installation — so the bundle's PEs and the node's runtime share one dispel4ts and one
 * rxjs. Files the workflow reads by `import.meta.url` at run time are not shipped.
 */
export async function bundleWorkflow(module: string): Promise<string> {
  const kept = unchanged(module);
  if (kept !== undefined) return kept;
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new BackendError(
      'mqtt',
      'shipping workflows needs the esbuild package: npm install esbuild',
      { cause: error },
    );
  }
  const deps = dependencies();
  const builtins = new Set(builtinModules);
  const plugin: import('esbuild').Plugin = {
    name: 'dispel4ts-externals',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (
          args.kind === 'entry-point' ||
          (args.pluginData as { inner?: boolean } | undefined)?.inner
        )
          return undefined;
        const spec = args.path;
        if (spec.startsWith('node:') || builtins.has(spec)) return { path: spec, external: true };
        const bare = !spec.startsWith('.') && !isAbsolute(spec);
        if (bare && packageName(spec) !== 'dispel4ts' && deps.has(packageName(spec))) {
          return { path: EXT + spec, external: true };
        }
        const resolved = await build.resolve(spec, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { inner: true },
        });
        // A bare import that does not resolve here (an optional dependency behind a
        // try/require, like vega's `canvas`) stays an import: it fails on the node only if
        // the code really loads it.
        if (resolved.errors.length > 0) return bare ? { path: spec, external: true } : { errors: resolved.errors };
        if (libraryDirs.some((dir) => resolved.path.startsWith(dir))) {
          return {
            path: LIB + relative(packageRoot, resolved.path).split(sep).join('/'),
            external: true,
          };
        }
        return { path: resolved.path };
      });
    },
  };
  try {
    const result = await esbuild.build({
      entryPoints: [module],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      metafile: true,
      absWorkingDir: packageRoot,
      plugins: [plugin],
      banner: {
        // Spelt in two pieces so that compiling this file (scripts/compile.mjs) does not
        // take the bundle's own `import.meta.url` for this file's.
        js: `import { createRequire as __d4tsCreateRequire } from 'node:module'; const require = __d4tsCreateRequire(${'import.meta'}.url);`,
      },
    });
    const code = await routeDynamicImports(
      result.outputFiles[0]!.text,
      `${LIB}backends/mqtt/importModule.ts`,
    );
    const inputs = Object.keys(result.metafile.inputs).map((input) => {
      const path = join(packageRoot, input);
      const stat = statSync(path, { throwIfNoEntry: false });
      return stat ? ([path, stat.mtimeMs, stat.size] as const) : undefined;
    });
    // Kept only when every file it came from can be checked next time.
    if (inputs.every((input) => input !== undefined)) made.set(module, { code, inputs });
    return code;
  } catch (error) {
    throw new BackendError(
      'mqtt',
      `cannot bundle workflow module ${module}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
