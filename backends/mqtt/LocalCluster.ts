import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { BackendError } from '../../src/errors.js';
import type { LocalThreadData, LocalThreadReply } from './threadMain.js';

const entry = new URL('./thread.mjs', import.meta.url);

/**
 * @internal What `mqtt()` starts when given no broker URL: an embedded broker (aedes) on a
 * loopback port and `nodes` local nodes, each in a worker thread running the same node code
 * as `dispel4ts node` and joined through the broker like remote nodes — the same code path,
 * nothing to install. The threads are unreferenced: they never keep the process alive.
 */
export class LocalCluster {
  alive = true;
  private constructor(
    readonly url: string,
    readonly secret: string,
    readonly nodes: number,
    private readonly threads: Worker[],
  ) {}

  static async start(nodes: number, quiet: boolean): Promise<LocalCluster> {
    const threads: Worker[] = [];
    const spawn = (data: LocalThreadData): Promise<Extract<LocalThreadReply, { ready: true }>> => {
      const worker = new Worker(entry, { workerData: data });
      worker.unref();
      threads.push(worker);
      return new Promise((resolve, reject) => {
        worker.once('message', (reply: LocalThreadReply) =>
          'failed' in reply
            ? reject(new BackendError('mqtt', `embedded cluster: ${reply.failed}`))
            : resolve(reply),
        );
        worker.once('error', reject);
        worker.once('exit', (code) =>
          reject(new BackendError('mqtt', `embedded cluster: a thread exited with code ${code}`)),
        );
      });
    };
    try {
      const { port } = await spawn({ role: 'broker', port: 0 });
      const url = `mqtt://127.0.0.1:${port!}`;
      const secret = randomBytes(24).toString('hex');
      await Promise.all(
        Array.from({ length: nodes }, (_, i) =>
          spawn({ role: 'node', broker: url, name: `local-${i}`, secret, quiet }),
        ),
      );
      const cluster = new LocalCluster(url, secret, nodes, threads);
      for (const thread of threads) {
        thread.on('exit', () => {
          cluster.alive = false;
        });
      }
      return cluster;
    } catch (error) {
      await Promise.all(threads.map((t) => t.terminate()));
      throw error;
    }
  }

  /** Stops the nodes (they leave cleanly), then the broker. */
  async stop(): Promise<void> {
    this.alive = false;
    const [broker, ...nodes] = this.threads;
    await Promise.all(
      nodes.map(
        (node) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void node.terminate().then(() => resolve()), 2000);
            node.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            node.postMessage('close');
          }),
      ),
    );
    await broker?.terminate();
  }
}
