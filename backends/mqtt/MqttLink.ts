import type { IClientOptions, MqttClient } from 'mqtt';
import { BackendError } from '../../src/errors.js';

/** How to reach and log in to a broker: what `mqtt()` and `startNode()` share. */
export interface BrokerOptions {
  /** `mqtt://host:1883`, `mqtts://host:8883`, `ws://...`. */
  readonly broker: string;
  readonly username?: string;
  readonly password?: string;
  /** TLS: CA certificate(s) to trust (PEM), client certificate and key (PEM). */
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  /** TLS: refuse a broker whose certificate does not verify. Default true. */
  readonly rejectUnauthorized?: boolean;
}

/** What a link subscribes with: the handler of every message under a topic filter. */
type Handler = (topic: string, payload: Buffer) => void;

/** Options of {@link MqttLink.connect}. */
export interface LinkOptions extends BrokerOptions {
  readonly clientId: string;
  /** Seconds between keep-alive pings; the broker declares the client gone after 1.5×. */
  readonly keepalive: number;
  /** QoS 1 publishes awaiting PUBACK before further publishes wait here. */
  readonly inflight: number;
  readonly will?: { readonly topic: string; readonly payload: Buffer };
  /** Called when the connection drops (`false`) and comes back (`true`). */
  readonly onConnection?: (up: boolean) => void;
  /**
   * Whether the keep-alive timer may keep the process alive. Default true; a link that can
   * sit idle in a process that has nothing else to do ({@link MqttLink.ref}) says false.
   */
  readonly refTimers?: boolean;
  /**
   * Where the link publishes its empty QoS 0 acknowledgement nudges (a topic nobody
   * subscribes to, under the cluster's prefix): see {@link MqttLink}.
   */
  readonly nudgeTopic: string;
}

/**
 * Packets a broker sends that the client answers with nothing: the TCP segment carrying
 * them waits for the client's delayed acknowledgement.
 */
const UNANSWERED = new Set(['puback', 'suback', 'unsuback', 'pingresp']);

const EMPTY = Buffer.alloc(0);

/** mqtt.js's keep-alive timer, unreferenced (it must not keep an idle process alive). */
const unrefTimer = {
  set: (callback: () => void, ms: number): number => {
    const timer = setInterval(callback, ms);
    timer.unref();
    return timer as unknown as number;
  },
  clear: (timer: number): void => clearInterval(timer as unknown as NodeJS.Timeout),
};

/**
 * @internal One connection to a broker (mqtt.js, loaded lazily), shared by every endpoint a
 * process runs: QoS 1 publishes with an in-flight window, subscriptions with their own
 * handlers, and no Nagle delay on the socket.
 *
 * Why the window: mqtt.js sends every publish at once and keeps each unacknowledged QoS 1
 * publish in memory; it does not hold publishes back to the broker's receive maximum. The
 * runtime's credits bound data per channel; this bounds everything a process has on the wire
 * (results, credits, heartbeats too), and it is what stops a fast sender from making the
 * broker buffer without bound.
 *
 * Why the nudges: a broker that leaves Nagle's algorithm on (Mosquitto does unless
 * `set_tcp_nodelay true`) holds a small packet while one it sent before is unacknowledged,
 * and a client that answers a PUBACK, SUBACK, UNSUBACK or PINGRESP with nothing acknowledges
 * it only when its kernel's delayed-ACK timer fires, 40 ms later on Linux. Every run's
 * `ready`, `start` and credits waited behind such a packet: a 10-item run through this
 * machine's Mosquitto took 131 ms, 6 ms through one with `set_tcp_nodelay true`. So when
 * such a packet arrives and the client has written nothing by the end of that turn of the
 * event loop, it publishes an empty QoS 0 message to {@link LinkOptions.nudgeTopic}, which
 * the broker answers with nothing and which carries the acknowledgement at once.
 */
export class MqttLink {
  private readonly filters = new Map<
    string,
    { match: (topic: string) => boolean; handler: Handler }
  >();
  private readonly queue: { topic: string; payload: Buffer }[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private inflight = 0;
  private ended = false;
  private referenced = true;

  private constructor(
    private readonly client: MqttClient,
    private readonly window: number,
    nudgeTopic: string,
  ) {
    client.on('message', (topic, payload) => {
      for (const { match, handler } of this.filters.values())
        if (match(topic)) handler(topic, payload);
    });
    this.nudgeAcks(nudgeTopic);
  }

  /** Acknowledges the broker's unanswered packets at once (see the class's doc). */
  private nudgeAcks(topic: string): void {
    let wroteSince = true;
    let checking = false;
    this.client.on('packetsend', () => {
      wroteSince = true;
    });
    this.client.on('packetreceive', (packet) => {
      if (!UNANSWERED.has(packet.cmd)) return;
      wroteSince = false;
      if (checking) return;
      checking = true;
      setImmediate(() => {
        checking = false;
        if (!wroteSince && !this.ended && this.client.connected)
          this.client.publish(topic, EMPTY, { qos: 0, retain: false });
      });
    });
  }

  /** Connects (resolves on CONNACK, rejects with a BackendError naming the broker). */
  static async connect(options: LinkOptions): Promise<MqttLink> {
    let mqtt: typeof import('mqtt');
    try {
      mqtt = await import('mqtt');
    } catch (error) {
      throw new BackendError('mqtt', 'the mqtt backend needs the mqtt package: npm install mqtt', {
        cause: error,
      });
    }
    const clientOptions: IClientOptions = {
      clientId: options.clientId,
      clean: true,
      keepalive: options.keepalive,
      reconnectPeriod: 500,
      connectTimeout: 10_000,
      protocolVersion: 4,
      resubscribe: true,
      ...(options.refTimers === false
        ? { timerVariant: unrefTimer as unknown as IClientOptions['timerVariant'] }
        : {}),
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.cert !== undefined ? { cert: options.cert } : {}),
      ...(options.key !== undefined ? { key: options.key } : {}),
      ...(options.rejectUnauthorized !== undefined
        ? { rejectUnauthorized: options.rejectUnauthorized }
        : {}),
      ...(options.will
        ? {
            will: {
              topic: options.will.topic,
              payload: options.will.payload,
              qos: 1,
              retain: false,
            },
          }
        : {}),
    };
    const client = mqtt.connect(options.broker, clientOptions);
    const noDelay = (): void => {
      const stream = client.stream as unknown as { setNoDelay?: (on: boolean) => void } | undefined;
      stream?.setNoDelay?.(true);
    };
    noDelay();
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        client.end(true);
        reject(
          new BackendError('mqtt', `cannot connect to broker ${options.broker}: ${error.message}`, {
            cause: error,
          }),
        );
      };
      const timer = setTimeout(() => onError(new Error('no CONNACK within 10 s')), 10_000);
      client.once('connect', () => {
        clearTimeout(timer);
        client.off('error', onError);
        resolve();
      });
      client.once('error', onError);
    });
    const link = new MqttLink(client, options.inflight, options.nudgeTopic);
    let up = true;
    client.on('connect', () => {
      noDelay();
      link.applyRef();
      if (!up) {
        up = true;
        options.onConnection?.(true);
      }
    });
    client.on('close', () => {
      if (up && !link.ended) {
        up = false;
        options.onConnection?.(false);
      }
    });
    client.on('error', () => undefined); // reconnects; loss shows as gaps and timeouts
    return link;
  }

  /**
   * Whether the connection keeps the process alive (its socket; the keep-alive timer too
   * unless the link was opened with `refTimers: false`).
   */
  ref(on: boolean): void {
    this.referenced = on;
    this.applyRef();
  }

  private applyRef(): void {
    const stream = this.client.stream as unknown as
      { ref?: () => void; unref?: () => void } | undefined;
    if (this.referenced) stream?.ref?.();
    else stream?.unref?.();
  }

  /** Whether the connection is up now. */
  get connected(): boolean {
    return this.client.connected;
  }

  /**
   * Publishes at QoS 1 (never retained); waits here, in order, while the window is full.
   */
  publish(topic: string, payload: Buffer): void {
    if (this.ended) return;
    if (this.inflight < this.window && this.queue.length === 0) this.send(topic, payload);
    else this.queue.push({ topic, payload });
  }

  /** Publishes now, ahead of the window (small control messages that must not wait). */
  publishNow(topic: string, payload: Buffer): void {
    if (this.ended) return;
    this.client.publish(topic, payload, { qos: 1, retain: false });
  }

  private send(topic: string, payload: Buffer): void {
    this.inflight++;
    this.client.publish(topic, payload, { qos: 1, retain: false }, () => {
      this.inflight--;
      while (this.inflight < this.window && this.queue.length > 0) {
        const next = this.queue.shift()!;
        this.send(next.topic, next.payload);
      }
      if (this.inflight === 0 && this.queue.length === 0)
        for (const wake of this.drainWaiters.splice(0)) wake();
    });
  }

  /** Resolves once every publish is acknowledged (or after `timeoutMs`). */
  drain(timeoutMs: number): Promise<void> {
    if (this.inflight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * Subscribes `filter` (QoS 1) with its handler; resolves on SUBACK, so messages published
   * after it cannot be missed.
   */
  async subscribe(filter: string, handler: Handler): Promise<void> {
    this.filters.set(filter, { match: matcher(filter), handler });
    try {
      // mqtt.js rejects when the SUBACK refuses the filter (reason code 0x80 and up).
      await this.client.subscribeAsync(filter, { qos: 1 });
    } catch (error) {
      this.filters.delete(filter);
      const { granted } = (error as { packet?: { granted?: unknown[] } }).packet ?? {};
      const refused = granted?.some((code) => typeof code === 'number' && code >= 0x80) ?? false;
      throw new BackendError(
        'mqtt',
        refused
          ? `the broker refused the subscription to ${filter} (not authorised?)`
          : `cannot subscribe to ${filter}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  /** Unsubscribes `filter` (no handler is called for it any more). */
  async unsubscribe(filter: string): Promise<void> {
    this.filters.delete(filter);
    if (this.ended) return;
    await this.client.unsubscribeAsync(filter).catch(() => undefined);
  }

  /** Sends what is queued (up to `drainMs`), then disconnects cleanly (no last will). */
  async end(drainMs = 2000): Promise<void> {
    if (this.ended) return;
    await this.drain(drainMs);
    this.ended = true;
    this.queue.length = 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.client.end(true);
        resolve();
      }, drainMs);
      this.client.end(false, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Drops the connection at once: the broker publishes the last will. */
  destroy(): void {
    this.ended = true;
    this.queue.length = 0;
    const stream = this.client.stream as unknown as { destroy?: () => void } | undefined;
    stream?.destroy?.();
    this.client.end(true);
  }
}

/** A function telling whether `topic` matches an MQTT topic filter (`+`, `#`). */
function matcher(filter: string): (topic: string) => boolean {
  if (
    filter.endsWith('/#') &&
    !filter.slice(0, -2).includes('+') &&
    !filter.slice(0, -2).includes('#')
  ) {
    const base = filter.slice(0, -2);
    return (topic) => topic === base || topic.startsWith(`${base}/`);
  }
  if (!filter.includes('+') && !filter.includes('#')) return (topic) => topic === filter;
  const parts = filter.split('/');
  return (topic) => {
    const levels = topic.split('/');
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === '#') return true;
      if (i >= levels.length) return false;
      if (parts[i] !== '+' && parts[i] !== levels[i]) return false;
    }
    return levels.length === parts.length;
  };
}
