import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendError } from '../../src/errors.js';

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

/**
 * @internal Bundles the module that defines a workflow into one ES module (esbuild, loaded
 * lazily), so a node can run it without the workflow's source. Everything the module
 * imports is inlined except dispel4ts itself and the packages dispel4ts depends on (rxjs,
 * ...): those stay imports, marked {@link LIB} / {@link EXT}, which the node points at its
 * own installation — so the bundle's PEs and the node's runtime share one dispel4ts and one
 * rxjs. Files the workflow reads by `import.meta.url` at run time are not shipped.
 */
export async function bundleWorkflow(module: string): Promise<string> {
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
      plugins: [plugin],
      banner: {
        // Spelt in two pieces so that compiling this file (scripts/compile.mjs) does not
        // take the bundle's own `import.meta.url` for this file's.
        js: `import { createRequire as __d4tsCreateRequire } from 'node:module'; const require = __d4tsCreateRequire(${'import.meta'}.url);`,
      },
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    throw new BackendError(
      'mqtt',
      `cannot bundle workflow module ${module}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
