import type { Backend } from '../backend.js';
import { tracedOf } from '../dsl/workflow.js';
import { enactInProcess } from './enactInProcess.js';

/** @internal The sequential backend's engine, also the default of `run()` and `collect()`. */
export const inProcessBackend: Backend = {
  name: 'sequential',
  execute: (workflow, spec) => enactInProcess(tracedOf(workflow), spec),
};
