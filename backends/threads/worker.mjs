// The entry of every worker thread. Node 20 cannot start a worker on a .ts file, so this
// plain module registers tsx's loader for the thread and imports the TypeScript worker,
// which then imports the workflow's own module (.ts or .js) by path.
import { register } from 'tsx/esm/api';

register();
await import('./workerMain.ts');
