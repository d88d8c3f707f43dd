import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startNode, type MqttNode, type NodeOptions } from './startNode.js';

/** The flags of `dispel4ts node` (and of `node backends/mqtt/node.mjs`). */
export const NODE_USAGE = `usage: dispel4ts node --broker mqtt://host:1883 [--name N] [--capacity K]
         [--username U --password P] [--ca FILE] [--cert FILE --key FILE] [--insecure]
         [--topic-prefix P] [--secret-file FILE] [--max-message-bytes B]
The cluster secret comes from --secret-file or the DISPEL4TS_SECRET environment variable.`;

/**
 * Parses `dispel4ts node` flags into {@link NodeOptions} (reading TLS and secret files).
 * Throws a RangeError with the usage when a flag is wrong or the secret is missing.
 */
export function parseNodeArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): NodeOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      broker: { type: 'string' },
      name: { type: 'string' },
      capacity: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      insecure: { type: 'boolean' },
      'topic-prefix': { type: 'string' },
      'secret-file': { type: 'string' },
      'max-message-bytes': { type: 'string' },
    },
    strict: true,
  });
  if (!values.broker) throw new RangeError(`--broker is required\n${NODE_USAGE}`);
  const secret = values['secret-file']
    ? readFileSync(values['secret-file'], 'utf8').trim()
    : env.DISPEL4TS_SECRET;
  if (!secret)
    throw new RangeError(
      `no cluster secret: set DISPEL4TS_SECRET or pass --secret-file\n${NODE_USAGE}`,
    );
  const capacity = values.capacity === undefined ? undefined : Number(values.capacity);
  return {
    broker: values.broker,
    secret,
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
    ...(values.username !== undefined ? { username: values.username } : {}),
    ...(values.password !== undefined ? { password: values.password } : {}),
    ...(values.ca !== undefined ? { ca: readFileSync(values.ca) } : {}),
    ...(values.cert !== undefined ? { cert: readFileSync(values.cert) } : {}),
    ...(values.key !== undefined ? { key: readFileSync(values.key) } : {}),
    ...(values.insecure ? { rejectUnauthorized: false } : {}),
    ...(values['max-message-bytes'] !== undefined
      ? { maxMessageBytes: Number(values['max-message-bytes']) }
      : {}),
    ...(values['topic-prefix'] !== undefined ? { topicPrefix: values['topic-prefix'] } : {}),
  };
}

/**
 * Runs a node as a long-running process: starts it, and on SIGTERM or SIGINT leaves cleanly
 * (runs here are told which instances they lose, presence says gone, subscriptions end).
 * Resolves with the exit code once the node has left.
 */
export async function runNode(options: NodeOptions): Promise<number> {
  const node: MqttNode = await startNode(options);
  return new Promise<number>((resolve) => {
    const leave = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', leave);
      process.off('SIGINT', leave);
      void node.close(`it received ${signal}`).then(() => resolve(0));
    };
    process.on('SIGTERM', leave);
    process.on('SIGINT', leave);
  });
}

/** The process entry: `node backends/mqtt/node.mjs --broker URL ...`. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: NodeOptions;
  try {
    options = parseNodeArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  try {
    return await runNode(options);
  } catch (error) {
    process.stderr.write(`dispel4ts node: ${(error as Error).message}\n`);
    return 1;
  }
}
