/**
 * Helpers for the MQTT specs: worker nodes as real processes (`backends/mqtt/node.mjs`, what
 * `dispel4ts node` runs), a private Mosquitto on a free port, an aedes broker configured the
 * way a spec needs, and a look at what a broker still holds (retained messages,
 * subscriptions) after runs.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aedes, type AedesOptions } from 'aedes';
import mqttjs from 'mqtt';

const nodeEntry = fileURLToPath(new URL('../../backends/mqtt/node.mjs', import.meta.url));

/** A node process and what it has logged. */
export interface NodeProcess {
  readonly child: ChildProcess;
  readonly name: string;
  /** Everything the node wrote to stderr so far. */
  log(): string;
  /** Resolves when the node's log matches `pattern` (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `node.mjs` with `args`, the secret in its environment; resolves once it joined. */
export async function startNodeProcess(
  broker: string,
  name: string,
  secret: string,
  extra: readonly string[] = [],
  command: readonly string[] = [process.execPath, nodeEntry],
): Promise<NodeProcess> {
  const child = spawn(
    command[0]!,
    [...command.slice(1), '--broker', broker, '--name', name, ...extra],
    {
      env: { ...process.env, DISPEL4TS_SECRET: secret },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let text = '';
  const waiters: (() => void)[] = [];
  child.stderr!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.on('exit', () => {
    for (const wake of waiters.splice(0)) wake();
  });
  const node: NodeProcess = {
    child,
    name,
    log: () => text,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = (): void => {
          if (pattern.test(text)) return resolve();
          if (child.exitCode !== null || child.signalCode !== null) {
            return reject(
              new Error(
                `node ${name} exited (${child.exitCode ?? child.signalCode}) before logging ${pattern}:\n${text}`,
              ),
            );
          }
          if (Date.now() > deadline)
            return reject(
              new Error(`node ${name} did not log ${pattern} within ${timeoutMs} ms:\n${text}`),
            );
          waiters.push(check);
          setTimeout(check, 200);
        };
        check();
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
  await node.waitFor(/joined /);
  return node;
}

/** A random cluster secret and topic prefix, so specs never see each other's nodes. */
export function freshCluster(): { secret: string; prefix: string } {
  return {
    secret: randomBytes(16).toString('hex'),
    prefix: `d4ts-test-${randomBytes(4).toString('hex')}`,
  };
}

/** Whether something accepts TCP connections on host:port. */
export function reachable(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A Mosquitto of this spec's own (no persistence, $SYS every second), on `port`. */
export interface PrivateMosquitto {
  readonly url: string;
  readonly port: number;
  /** Kills it (SIGKILL) and resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

/** Starts a private Mosquitto (throws if the `mosquitto` binary is missing). */
export async function startMosquitto(port?: number): Promise<PrivateMosquitto> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'd4ts-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    `listener ${p} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\nsys_interval 1\n`,
  );
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    const failed = new Promise<never>((_, reject) => child!.once('error', reject));
    for (let i = 0; i < 50; i++) {
      if (await Promise.race([reachable('127.0.0.1', p, 200), failed])) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`mosquitto did not listen on ${p}`);
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${p}`,
    port: p,
    kill: () =>
      new Promise<void>((resolve) => {
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    restart: start,
  };
}

/** Topics under `filter` with a retained message on `broker` (listening 1 s). */
export async function retainedUnder(broker: string, filter: string): Promise<string[]> {
  const client = await mqttjs.connectAsync(broker, { clean: true, reconnectPeriod: 0 });
  const found: string[] = [];
  client.on('message', (topic, _payload, packet) => {
    if (packet.retain) found.push(topic);
  });
  await client.subscribeAsync(filter, { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await client.endAsync();
  return found;
}

/** A number the broker publishes under `$SYS` (Mosquitto), read once. */
export async function sysValue(broker: string, topic: string): Promise<number> {
  const client = await mqttjs.connectAsync(broker, { clean: true, reconnectPeriod: 0 });
  try {
    const value = new Promise<number>((resolve) =>
      client.on('message', (_t, payload) => resolve(Number(payload.toString()))),
    );
    await client.subscribeAsync(topic);
    return await Promise.race([
      value,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no ${topic}`)), 5000)),
    ]);
  } finally {
    await client.endAsync();
  }
}

/** Options of {@link aedesBroker}. */
export interface AedesBrokerOptions {
  /** Keep Nagle's algorithm on the broker's sockets (Mosquitto's default). Default false. */
  readonly nagle?: boolean;
  /** Refuses (`true`) a client's subscription to a topic filter. */
  readonly refuse?: (clientId: string, filter: string) => boolean;
  /** Lets a client in only with these credentials. */
  readonly login?: { readonly username: string; readonly password: string };
  /** Serves MQTT over TLS (`mqtts://`) with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** An aedes broker on a free loopback port, set up as a spec needs. */
export async function aedesBroker(
  options: AedesBrokerOptions = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const settings: AedesOptions = { heartbeatInterval: 60_000 };
  const { refuse } = options;
  if (refuse) {
    settings.authorizeSubscribe = (client, subscription, callback) =>
      callback(null, refuse(client.id, subscription.topic) ? null : subscription);
  }
  const { login } = options;
  if (login) {
    settings.authenticate = (_client, username, password, callback) =>
      callback(null, username === login.username && password?.toString() === login.password);
  }
  const aedes = await Aedes.createBroker(settings);
  const sockets = new Set<Socket>();
  const accept = (socket: Socket): void => {
    socket.setNoDelay(!options.nagle);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  };
  const server = options.tls ? createTlsServer(options.tls, accept) : createServer(accept);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `${options.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}

/**
 * A self-signed certificate for 127.0.0.1 and localhost, valid for a day, made with the
 * `openssl` command: its key, its certificate (PEM), and the file the certificate is in (a
 * client trusts it as its CA).
 */
export function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'd4ts-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
      ...['-keyout', keyFile, '-out', certFile, '-subj', '/CN=localhost'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
