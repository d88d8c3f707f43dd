import { parentPort, workerData } from 'node:worker_threads';
import { startBroker } from './startBroker.js';
import { startNode } from './startNode.js';

/** What a thread of the embedded cluster is started with. */
export type LocalThreadData =
  | { readonly role: 'broker'; readonly port: number }
  | {
      readonly role: 'node';
      readonly broker: string;
      readonly name: string;
      readonly secret: string;
      readonly quiet: boolean;
    };

/** What it posts back: the broker's port, or that the node has joined; or why it failed. */
export type LocalThreadReply =
  { readonly ready: true; readonly port?: number } | { readonly failed: string };

const data = workerData as LocalThreadData;
try {
  if (data.role === 'broker') {
    const broker = await startBroker({ port: data.port });
    parentPort!.postMessage({ ready: true, port: broker.port } satisfies LocalThreadReply);
  } else {
    const node = await startNode({
      broker: data.broker,
      name: data.name,
      secret: data.secret,
      capacity: 1,
      ...(data.quiet ? { log: () => undefined } : {}),
    });
    parentPort!.on('message', (message: unknown) => {
      if (message === 'close')
        void node.close('the embedded cluster is stopping').then(() => process.exit(0));
    });
    parentPort!.postMessage({ ready: true } satisfies LocalThreadReply);
  }
} catch (error) {
  parentPort!.postMessage({ failed: (error as Error).message } satisfies LocalThreadReply);
}
