import type { BenchWorkload } from '../BenchWorkload.js';
import { boundedPipeline } from './boundedPipeline.js';
import { isprime } from './isprime.js';
import { pipeline } from './pipeline.js';
import { splitmerge } from './splitmerge.js';
import { traces } from './traces.js';
import { wordcount } from './wordcount.js';

/** Every workload the harness knows, in report order; `--workload` selects by `id`. */
export const workloads: readonly BenchWorkload[] = [
  pipeline,
  wordcount,
  isprime,
  splitmerge,
  traces,
  boundedPipeline,
];
