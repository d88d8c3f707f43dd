export { mpi, type MpiOptions, type MpiBackend } from './mpi.js';
export { jobRank, jobSize } from './inJob.js';
