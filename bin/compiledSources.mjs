// Module hooks of the `dispel4ts` command when it runs compiled (see dispel4ts.mjs): an
// import that resolves to one of dispel4ts's own TypeScript sources (a workflow file's
// `../../src/index.js`, `dispel4ts`, a worker's entry) is given the compiled module in dist/
// instead, and `rxjs` the copy bundled in dist/vendor/, so the command and the workflow
// share one copy of every module.
import { VENDORED } from '../scripts/compile.mjs';

let root = '';

export function initialize(data) {
  root = data.root;
}

const OWN = /^(src|operators|backends)\/.*\.ts$/;
/** Bundled file (dist/vendor/NAME.js) by specifier. */
const vendoredAs = Object.fromEntries(Object.entries(VENDORED).map(([file, specifier]) => [specifier, file]));

export async function resolve(specifier, context, next) {
  const vendored = vendoredAs[specifier];
  if (vendored) return { url: `${root}dist/vendor/${vendored}.js`, format: 'module', shortCircuit: true };
  const resolved = await next(specifier, context);
  if (resolved.url.startsWith(root)) {
    const path = resolved.url.slice(root.length);
    if (OWN.test(path)) return { ...resolved, url: `${root}dist/${path.slice(0, -3)}.js`, format: 'module' };
  }
  return resolved;
}
