import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { serveWorker } from '../../src/runtime/serveWorker.js';
import { workerTransport } from './transport.js';

/** The data each worker thread is started with. */
export interface ThreadWorkerData {
  readonly self: number;
  readonly peers: readonly (MessagePort | null)[];
}

const { self, peers } = workerData as ThreadWorkerData;
serveWorker('threads', workerTransport(self, parentPort!, peers));
