import { register } from 'tsx/esm/api';
register();
const { collect } = await import('./src/index.ts');
const { pipeline } = await import('./examples/workloads/pipeline.ts');
await collect(pipeline, undefined, { iterations: 10 });
