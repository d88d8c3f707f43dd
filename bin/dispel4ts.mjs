#!/usr/bin/env node
// The `dispel4ts` command. It registers tsx's loader first, so both the CLI (TypeScript) and
// the user's workflow files (.ts, .mts, .js, .mjs) load with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// After Ctrl-C the run is unsubscribed and its results flushed; exit now rather than wait
// for whatever PE code may still have scheduled.
if (code === 130) process.exit(130);
if (code !== 0) process.exitCode = code;
