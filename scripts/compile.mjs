// Compiles dispel4ts's TypeScript (src/, operators/, backends/) to JavaScript in dist/, one
// .js per .ts with the same layout, for the `dispel4ts` command (bin/dispel4ts.mjs): loaded
// natively, it starts in well under half the time of the same modules through tsx's loader.
// `import.meta.url` in each file is rewritten to its source file's URL, so whatever a module
// finds beside itself (worker entries, the MPI addon, package.json) it finds as from source.
// rxjs is bundled into dist/vendor/ (one file, not the ~400 its CommonJS build loads one by
// one: 9 ms instead of 96 here); the compiled modules import it from there, and the command
// gives workflow files the same copy (bin/compiledSources.mjs).
//
//   node scripts/compile.mjs          (npm run build)
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['src', 'operators', 'backends'];
/** Written last: its time says when dist/ was compiled. */
export const stampFile = join(root, 'dist', '.compiled');

async function tsFiles(dir) {
  const files = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'native' && entry.name !== 'node_modules') files.push(...(await tsFiles(path)));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** The newest modification time (ms) among the sources dist/ is compiled from. */
export async function newestSource() {
  const files = [...(await Promise.all(SOURCES.map(tsFiles))).flat(), 'scripts/compile.mjs'];
  const times = await Promise.all(files.map(async (f) => (await stat(join(root, f))).mtimeMs));
  return Math.max(...times);
}

/** The rxjs entry points bundled into dist/vendor/, by the file name they get there. */
export const VENDORED = { rxjs: 'rxjs', 'rxjs-operators': 'rxjs/operators', 'rxjs-testing': 'rxjs/testing' };
const SPECIFIER = /(from\s*|import\s*\(\s*)'(rxjs(?:\/operators|\/testing)?)'/g;

/** Compiles every source to dist/ and writes the stamp. */
export async function compile() {
  const { build } = await import('esbuild');
  const sources = (await Promise.all(SOURCES.map(tsFiles))).flat();
  const vendor = join(root, 'dist', 'vendor');
  await build({
    entryPoints: Object.entries(VENDORED).map(([out, specifier]) => ({ out, in: `vendored:${specifier}` })),
    outdir: vendor,
    bundle: true,
    splitting: true,
    format: 'esm',
    // Not 'node': rxjs's exports give Node its CommonJS build; 'es2015' is its ES module one.
    platform: 'neutral',
    target: 'node20',
    mainFields: ['es2015', 'module', 'main'],
    conditions: ['es2015'],
    logLevel: 'warning',
    plugins: [
      {
        name: 'vendored',
        setup(b) {
          b.onResolve({ filter: /^vendored:/ }, (args) => ({ path: args.path.slice(9), namespace: 'vendored' }));
          b.onLoad({ filter: /.*/, namespace: 'vendored' }, (args) => ({
            contents: `export * from ${JSON.stringify(args.path)};`,
            resolveDir: root,
          }));
        },
      },
    ],
  });
  const byName = Object.fromEntries(Object.entries(VENDORED).map(([out, specifier]) => [specifier, out]));
  await build({
    entryPoints: sources.map((p) => join(root, p)),
    outdir: join(root, 'dist'),
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'source-url',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            const text = await readFile(args.path, 'utf8');
            const out = join(root, 'dist', relative(root, args.path));
            const back = relative(dirname(out), args.path).split(sep).join('/');
            const url = `new URL(${JSON.stringify(back)}, import.meta.url).href`;
            const toVendor = relative(dirname(out), vendor).split(sep).join('/');
            const contents = text
              .replaceAll('import.meta.url', url)
              .replace(SPECIFIER, (_, lead, specifier) => `${lead}'${toVendor}/${byName[specifier]}.js'`);
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  await mkdir(dirname(stampFile), { recursive: true });
  await writeFile(stampFile, `${new Date().toISOString()}\n`);
  return sources.length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const count = await compile();
  console.log(`compiled ${count} modules to dist/ in ${Math.round(performance.now() - started)} ms`);
}
