import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BrokerOptions } from './MqttLink.js';
import { startNode, type MqttNode, type NodeOptions } from './startNode.js';

/** The flags of `dispel4ts node` (and of `node backends/mqtt/node.mjs`). */
export const NODE_USAGE = `usage: dispel4ts node --broker mqtt://host:1883 [--name N] [--capacity K]
         [--username U --password P] [--ca FILE] [--cert FILE --key FILE] [--insecure]
         [--topic-prefix P] [--secret-file FILE] [--max-message-bytes B]
The cluster secret comes from --secret-file or the DISPEL4TS_SECRET environment variable.`;

/** The flags of `dispel4ts node`, by commander's (camel-cased) name. */
export interface NodeFlags {
  readonly broker?: string;
  readonly name?: string;
  readonly capacity?: string | number;
  readonly username?: string;
  readonly password?: string;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly insecure?: boolean;
  readonly topicPrefix?: string;
  readonly secretFile?: string;
  readonly maxMessageBytes?: string | number;
}

/** The cluster secret: from `--secret-file`, else `DISPEL4TS_SECRET`; undefined if neither. */
export function secretFrom(
  flags: { readonly secretFile?: string },
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return flags.secretFile ? readFileSync(flags.secretFile, 'utf8').trim() : env.DISPEL4TS_SECRET;
}

/** Broker login and TLS options from flags (reading the PEM files). */
export function brokerFlags(flags: NodeFlags): Omit<BrokerOptions, 'broker'> {
  return {
    ...(flags.username !== undefined ? { username: flags.username } : {}),
    ...(flags.password !== undefined ? { password: flags.password } : {}),
    ...(flags.ca !== undefined ? { ca: readFileSync(flags.ca) } : {}),
    ...(flags.cert !== undefined ? { cert: readFileSync(flags.cert) } : {}),
    ...(flags.key !== undefined ? { key: readFileSync(flags.key) } : {}),
    ...(flags.insecure ? { rejectUnauthorized: false } : {}),
  };
}

/**
 * {@link NodeOptions} from `dispel4ts node` flags (reading TLS and secret files). Throws a
 * RangeError with the usage when the broker or the secret is missing.
 */
export function nodeOptionsFrom(
  flags: NodeFlags,
  env: NodeJS.ProcessEnv = process.env,
): NodeOptions {
  if (!flags.broker) throw new RangeError(`--broker is required\n${NODE_USAGE}`);
  const secret = secretFrom(flags, env);
  if (!secret)
    throw new RangeError(
      `no cluster secret: set DISPEL4TS_SECRET or pass --secret-file\n${NODE_USAGE}`,
    );
  return {
    broker: flags.broker,
    secret,
    ...brokerFlags(flags),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.capacity !== undefined ? { capacity: Number(flags.capacity) } : {}),
    ...(flags.maxMessageBytes !== undefined
      ? { maxMessageBytes: Number(flags.maxMessageBytes) }
      : {}),
    ...(flags.topicPrefix !== undefined ? { topicPrefix: flags.topicPrefix } : {}),
  };
}

/** Parses `dispel4ts node` arguments (for `node backends/mqtt/node.mjs`). */
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
  const {
    'topic-prefix': topicPrefix,
    'secret-file': secretFile,
    'max-message-bytes': maxMessageBytes,
    ...rest
  } = values;
  return nodeOptionsFrom(
    {
      ...rest,
      ...(topicPrefix !== undefined ? { topicPrefix } : {}),
      ...(secretFile !== undefined ? { secretFile } : {}),
      ...(maxMessageBytes !== undefined ? { maxMessageBytes } : {}),
    },
    env,
  );
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
