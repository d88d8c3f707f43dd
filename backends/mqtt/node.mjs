#!/usr/bin/env node
// A worker node as a process (what `dispel4ts node` runs):
//   DISPEL4TS_SECRET=... node backends/mqtt/node.mjs --broker mqtt://host:1883 --name n1
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./runNode.ts');
process.exitCode = await main(process.argv.slice(2));
