import { randomBytes } from 'node:crypto';
import { MqttLink, type BrokerOptions } from './MqttLink.js';
import { decodePresence, PROTOCOL_VERSION, type Presence } from './presence.js';
import type { Topics } from './topics.js';

/** A node's presence, as last heard. */
export type Here = Extract<Presence, { kind: 'here' }>;

/**
 * A node heard from longer ago than this is not offered to a run: nodes announce themselves
 * every second, so a node cut off from the broker falls out here long before the broker
 * publishes its last will (1.5 keep-alives).
 */
const PRESENCE_FRESH_MS = 3000;

/** What a run using the link hears of it. */
export interface LinkListener {
  /** A node said it is gone (its last will, or it left). */
  gone(id: string, reason: string): void;
  /** The broker connection dropped (`false`) or came back (`true`). */
  connection(up: boolean): void;
}

/** How to open a {@link CoordinatorLink}. */
export interface CoordinatorLinkOptions extends BrokerOptions {
  readonly topics: Topics;
  /** How long the link stays open after its last run, for the next. */
  readonly lingerMs: number;
}

/**
 * @internal A coordinator's connection to the broker, shared by the runs of one `mqtt()`
 * backend, one after another or at once, and kept {@link CoordinatorLinkOptions.lingerMs}
 * after the last run for the next: a run then starts without connecting (4-5.5 ms through the
 * embedded broker) or asking the nodes to announce themselves (1.3-1.5 ms), from the presence
 * it has kept listening to. Its clean session ends with it, and with it its one standing
 * subscription (presence); each run subscribes to its own topics and unsubscribes them.
 * While it lingers it never keeps the process alive (its socket and keep-alive timer are
 * unreferenced), like the embedded cluster's threads.
 */
export class CoordinatorLink {
  private readonly present = new Map<string, { here: Here; at: number }>();
  private readonly waiters: (() => void)[] = [];
  private readonly listeners = new Set<LinkListener>();
  private readonly freeing = new Set<string>();
  private retired = false;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private ending: Promise<void> | undefined;
  /** When the link was opened: a run that finds every node waits for answers until then + discoverMs. */
  readonly openedAt = Date.now();

  private constructor(
    readonly link: MqttLink,
    private readonly lingerMs: number,
  ) {}

  /** Connects, starts listening to presence and asks every node to announce itself. */
  static async open(options: CoordinatorLinkOptions): Promise<CoordinatorLink> {
    const holder: { link?: CoordinatorLink } = {};
    const link = await MqttLink.connect({
      ...options,
      clientId: `d4ts-coord-${randomBytes(6).toString('hex')}`,
      keepalive: 5,
      inflight: 256,
      refTimers: false,
      nudgeTopic: options.topics.nudge,
      onConnection: (up) => {
        for (const listener of holder.link?.listeners ?? []) listener.connection(up);
      },
    });
    const shared = new CoordinatorLink(link, options.lingerMs);
    holder.link = shared;
    try {
      await link.subscribe(options.topics.presenceAll, (_topic, payload) =>
        shared.presence(payload),
      );
    } catch (error) {
      await link.end(0);
      throw error;
    }
    link.publishNow(options.topics.discover, Buffer.alloc(0));
    return shared;
  }

  /** Whether a new run may use this link: connected, and no run on it failed. */
  get usable(): boolean {
    return !this.retired && this.ending === undefined && this.link.connected;
  }

  /** A run starts using the link. */
  acquire(listener: LinkListener): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.listeners.add(listener);
    this.link.ref(true);
  }

  /**
   * A run is done with the link. The last one leaves it open for `lingerMs` — unless a run on
   * it failed (`clean` false) or it is down: it then ends with its last run, and the next run
   * starts on a fresh one.
   */
  release(listener: LinkListener, clean: boolean): Promise<void> {
    if (!this.listeners.delete(listener)) return Promise.resolve();
    if (!clean || !this.link.connected) this.retired = true;
    if (this.listeners.size > 0) return Promise.resolve();
    if (this.retired || this.lingerMs === 0) return this.end();
    // Lingering, the connection never keeps the process alive.
    this.link.ref(false);
    this.lingerTimer = setTimeout(() => void this.end(), this.lingerMs);
    this.lingerTimer.unref();
    return Promise.resolve();
  }

  /** The nodes heard from lately with a free slot, in name order. */
  free(): Here[] {
    const since = Date.now() - PRESENCE_FRESH_MS;
    return [...this.present.values()]
      .filter(({ here, at }) => here.free > 0 && at >= since)
      .map(({ here }) => here)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** Resolves when a node is next heard from, or after `ms`. */
  nextPresence(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(1, ms));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * A run on this link ended with these nodes: until each says it has a slot free again, a
   * run that takes every free node waits for them ({@link CoordinatorLink.releasing}).
   */
  released(ids: readonly string[]): void {
    for (const id of ids) this.freeing.add(id);
  }

  /** Whether a node a run here has just used has not yet said it is free again. */
  get releasing(): boolean {
    return this.freeing.size > 0;
  }

  private presence(payload: Buffer): void {
    const presence = decodePresence(payload);
    if (!presence) return;
    if (presence.kind === 'gone' || presence.free > 0) this.freeing.delete(presence.id);
    if (presence.kind === 'gone') {
      this.present.delete(presence.id);
      for (const listener of this.listeners) listener.gone(presence.id, presence.reason);
      return;
    }
    if (presence.version !== PROTOCOL_VERSION) return;
    this.present.set(presence.id, { here: presence, at: Date.now() });
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Ends the connection now (its presence subscription goes with its clean session). */
  end(): Promise<void> {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
    this.ending ??= this.link.end();
    return this.ending;
  }
}
