import { createServer, type Server, type Socket } from 'node:net';
import { BackendError } from '../../src/errors.js';

/** Options of {@link startBroker}. */
export interface BrokerServerOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  readonly host?: string;
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  /** Retained messages it holds now (what a run must not leave behind). */
  retained(): Promise<string[]>;
  /** Subscriptions of connected clients now, as `clientId topic`. */
  subscriptions(): string[];
  close(): Promise<void>;
}

/**
 * Starts an embedded MQTT 3.1.1 broker (aedes, loaded lazily) on a loopback port, with
 * no-delay sockets: what `mqtt()` uses when given no broker URL.
 */
export async function startBroker(options: BrokerServerOptions = {}): Promise<EmbeddedBroker> {
  let Aedes: typeof import('aedes').Aedes;
  try {
    ({ Aedes } = await import('aedes'));
  } catch (error) {
    throw new BackendError(
      'mqtt',
      'the embedded broker needs the aedes package: npm install aedes',
      { cause: error },
    );
  }
  const aedes = await Aedes.createBroker({ heartbeatInterval: 60_000 });
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new BackendError(
          'mqtt',
          `the embedded broker cannot listen on ${host}:${options.port ?? 0}: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    retained: async () => {
      const topics: string[] = [];
      const persistence = (aedes as unknown as { persistence: unknown }).persistence as {
        createRetainedStreamCombi?: (p: string[]) => AsyncIterable<{ topic: string }>;
      };
      if (persistence.createRetainedStreamCombi) {
        for await (const packet of persistence.createRetainedStreamCombi(['#']))
          topics.push(packet.topic);
      }
      return topics;
    },
    subscriptions: () => {
      const found: string[] = [];
      const clients = (
        aedes as unknown as { clients: Record<string, { subscriptions?: Record<string, unknown> }> }
      ).clients;
      for (const [id, client] of Object.entries(clients)) {
        for (const topic of Object.keys(client.subscriptions ?? {})) found.push(`${id} ${topic}`);
      }
      return found;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
