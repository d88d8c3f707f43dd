// The program every rank of a job launched by `mpi({ ranks })` runs (mpirun ... node rank.mjs
// --parent <socket>). It registers tsx's loader, so workflow modules written in TypeScript
// load, and imports the TypeScript rank program.
import { register } from 'tsx/esm/api';

register();
await import('./rankMain.ts');
