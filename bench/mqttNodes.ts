import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../backends/mqtt/node.mjs', import.meta.url));

/** Node processes joined to a broker for a benchmark, under a cluster of their own. */
export interface BenchNodes {
  readonly secret: string;
  readonly topicPrefix: string;
  /** SIGTERMs every node and resolves once each has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `count` MQTT node processes (`backends/mqtt/node.mjs`, what `dispel4ts node` runs) on
 * `broker` with a fresh secret and topic prefix, and resolves once each has joined. They are
 * the caller's children: a harness that kills the caller's process group kills them too.
 */
export async function startBenchNodes(broker: string, count: number): Promise<BenchNodes> {
  const secret = randomBytes(16).toString('hex');
  const topicPrefix = `d4ts-bench-${randomBytes(3).toString('hex')}`;
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    for (let i = 1; i <= count; i++) {
      const child = spawn(
        process.execPath,
        [entry, '--broker', broker, '--name', `bench-${i}`, '--topic-prefix', topicPrefix],
        { env: { ...process.env, DISPEL4TS_SECRET: secret }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        let text = '';
        child.stderr!.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (/joined /.test(text)) resolve();
        });
        child.once('exit', (code) =>
          reject(new Error(`node bench-${i} exited with ${code}: ${text}`)),
        );
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { secret, topicPrefix, stop };
}

/** Why `broker` cannot be used (nothing accepts connections on its host and port), or undefined. */
export function brokerUnreachable(broker: string, timeoutMs = 2000): Promise<string | undefined> {
  const url = new URL(broker);
  const port = Number(url.port || 1883);
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port });
    const done = (reason: string | undefined): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no MQTT broker at ${broker} (timed out)`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error) => done(`no MQTT broker at ${broker} (${error.message})`));
  });
}
