#!/usr/bin/env node
// The `dispel4ts` command. dispel4ts itself runs compiled (see compiled.mjs); tsx's loader is
// registered for the user's workflow files (.ts, .mts, .js, .mjs), which load with no build
// step, and compiledSources.mjs hands them the same compiled modules the command uses.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';
import { compiledMain } from './compiled.mjs';

const compiled = await compiledMain();
registerTsx();
let main = compiled;
if (main) {
  register('./compiledSources.mjs', import.meta.url, { data: { root: new URL('..', import.meta.url).href } });
} else {
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
// After Ctrl-C the run is unsubscribed and its results flushed; exit now rather than wait
// for whatever PE code may still have scheduled.
if (code === 130) process.exit(130);
if (code !== 0) process.exitCode = code;
