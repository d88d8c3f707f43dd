export { threads, type ThreadsOptions, type ThreadsBackend } from './threads.js';
