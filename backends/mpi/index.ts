export { mpi, type MpiOptions, type MpiBackend } from './mpi.js';
export { jobRank, jobSize, serveRank } from './inJob.js';
