// The entry of the embedded broker's thread and of each local node's thread. Node 20 cannot
// start a worker on a .ts file, so this plain module registers tsx's loader for the thread
// and imports the TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./threadMain.ts');
