import type { Route } from '../plan/routing.js';
import { Channel } from './Channel.js';
import type { Target } from './sinks.js';

/**
 * How many batches a channel may have in flight (sent, not yet processed by the receiver)
 * and still be given work before a receiver on this endpoint: half its credit window (which
 * each backend sizes to cover its transport's round trip: 16 over MessagePorts, 64 through an
 * MQTT broker), at least 2. The work ahead ({@link Channel.coverNs}) is the limit that should
 * bind: batches for a costly receiver are cut at a quarter of its cover, and partial batches
 * sent at the end of a turn count too, so a quarter of the window had often stopped a remote
 * receiver short of its cover (W3 on 2 MPI ranks: k = 2 runs 1.8-3% faster with half, four
 * A/B series of 30-40 interleaved runs).
 */
function backlogLimit(channel: Channel): number {
  return Math.max(2, Math.ceil(channel.window / 2));
}

/**
 * Work (ns) a remote receiver may have ahead of it beyond the least loaded one's and still take
 * its turn. Receivers that keep up stay within it and are dealt strict round robin; one that
 * falls further behind is skipped until the others catch up.
 */
const SLACK_NS = 1_000_000;

/**
 * Full batches a remote receiver next to a local one may have ahead of it before credits say
 * what its items cost and how long a trip takes (W3 over MQTT is 10 batches: its backlog
 * limit of 16 would have let a fast producer give the remote node all of them).
 */
const UNKNOWN_BATCHES = 4;

/** @internal What the runtime knows of a sending instance, for {@link loadAwareShuffle}. */
export interface ShuffleHints {
  /** Whether input has arrived for the sender that it has not reached: it is the bottleneck. */
  readonly behind?: () => boolean;
  /**
   * How many items the sender (a `producer()`) has left to emit, if it knows: an estimate of
   * what is left on the connection (operators piped between the producer and the connection
   * may drop or add items; it only decides the last items of a run).
   */
  readonly remaining?: () => number;
}

/**
 * @internal The shuffle route of a sending instance some of whose receivers run elsewhere:
 * load-aware round robin (like Storm's load-aware shuffle). Work ahead of a receiver is its
 * items not yet processed ({@link Channel.pendingItems}) times what an item costs the
 * receivers, as their credits say, averaged over them (instances of one PE: a slower one shows
 * as items piling up; a cost per receiver would only add its noise).
 *
 * Among remote receivers only, items are dealt one at a time in turn, skipping a receiver whose
 * work ahead is more than {@link SLACK_NS} above the least loaded one's: receivers that keep
 * up get an even round robin — also when a fast producer commits its whole stream before any
 * credit (W3: a rule that favoured idle receivers dealt those items unevenly, and one worker
 * finished 6 ms late) — and one that falls behind gets fewer.
 *
 * With a receiver on this endpoint in the rotation, remote receivers come first, and the local
 * one takes what they are not given: it is fed synchronously, so its work is the sender's own.
 * A remote receiver is given work while it has used under {@link backlogLimit} of its credits
 * and its work ahead is within its {@link Channel.coverNs} (twice the trip of a batch and its
 * credit, plus 1 ms) — before a credit says what that is,
 * {@link UNKNOWN_BATCHES} full batches. So the local and the remote receivers finish together
 * (W3 on MPI, the producer's rank also running an instance: strict round robin left the
 * remote rank idle for a quarter of the run, and it finished 5-20 ms after the local one).
 * While the sending instance is `behind()` on its own input (items for it have arrived that
 * it has not reached: it is the bottleneck), a remote receiver may use every credit first, and
 * the local one takes only what is left (W5's `Normalise` had fed a local `Peak` half the
 * traces while the remote `Peak` idled: 0.79 of the throughput with `Normalise` alone on its
 * worker; 0.86-0.94 with the quarter of credits as the limit; 0.95-0.99 with every credit).
 *
 * Items whose binary payload costs more to move than a receiver's work on them
 * ({@link Channel.moveItemNs} against what an item costs, over a transport that copies: MPI,
 * MQTT) stay with the local receiver once credits say what that work is: W5's 64 KiB traces,
 * which `Peak` reads once in about 8 us, cost MPI ranks about 16 us each to move.
 *
 * Which instance takes which item changes; the multiset of items each connection delivers
 * does not.
 */
export function loadAwareShuffle(
  targets: readonly Target[],
  fromInstance: number,
  { behind = () => false, remaining }: ShuffleHints = {},
): Route {
  const channels = targets.map((t) => (t instanceof Channel ? t : undefined));
  const remote = channels.filter((c): c is Channel => c !== undefined);
  const n = targets.length;
  const hasLocal = remote.length < n;
  let next = fromInstance % n;
  // The time, for what remote receivers have done since their last credit: read once a turn
  // of the event loop and every 64 items (a clock read per item cost a producer 1-2% of W3).
  let nowMs = 0;
  let calls = 0;
  let readThisTurn = false;
  const forgetTime = (): void => {
    readThisTurn = false;
  };

  return () => {
    if (!readThisTurn || (++calls & 63) === 0) {
      nowMs = performance.now();
      if (!readThisTurn) queueMicrotask(forgetTime);
      readThisTurn = true;
    }
    let costs = 0;
    let known = 0;
    let leastItems = Number.POSITIVE_INFINITY;
    for (const channel of remote) {
      const cost = channel.receiverItemNs;
      if (cost > 0) {
        costs += cost;
        known++;
      }
      if (channel.pendingItems < leastItems) leastItems = channel.pendingItems;
    }
    const itemNs = known > 0 ? costs / known : 0;
    const capped = hasLocal && !behind();
    let firstLocal = -1;
    for (let step = 0; step < n; step++) {
      const i = (next + step) % n;
      const channel = channels[i];
      if (channel === undefined) {
        if (firstLocal < 0) firstLocal = i;
      } else if (eligible(channel, leastItems, itemNs, hasLocal, capped, remaining, nowMs)) {
        next = (i + 1) % n;
        return i;
      }
    }
    // No remote receiver is eligible: a local one takes it (one is: the least loaded remote
    // receiver is always eligible without one).
    if (firstLocal >= 0) next = (firstLocal + 1) % n;
    return firstLocal >= 0 ? firstLocal : next;
  };
}

function eligible(
  channel: Channel,
  leastItems: number,
  itemNs: number,
  hasLocal: boolean,
  capped: boolean,
  remaining: (() => number) | undefined,
  nowMs: number,
): boolean {
  const work = channel.pendingItems * itemNs;
  if (work > leastItems * itemNs + SLACK_NS) return false;
  if (!hasLocal) return true;
  // Moving the item costs at least what doing it does: the local receiver does it (like
  // Storm's local-or-shuffle grouping, but priced).
  if (itemNs > 0 && channel.moveItemNs >= itemNs) return false;
  // This endpoint is the bottleneck: the remote receiver may use every credit first.
  if (!capped) return channel.backlog < channel.window;
  if (channel.backlog >= backlogLimit(channel)) return false;
  // The end is near: what the remote receiver has ahead (its work not yet credited, less what
  // it has done since its last credit, and the batch being filled) would outlast what is left
  // for the local one, which takes the rest (items of one PE cost alike). The remote one's
  // partial batch goes now: held until the receiver is about to run dry, it had left that
  // receiver 1-2 ms of work after the local one finished (W3 on 2 MPI ranks).
  const aheadNs = channel.workAheadNs(nowMs);
  const itemsAhead =
    channel.receiverItemNs > 0 ? aheadNs / channel.receiverItemNs : channel.pendingItems;
  if (remaining !== undefined && itemsAhead >= remaining()) {
    channel.flush();
    return false;
  }
  // Next to a local receiver: no more ahead there than covers the trip there and back. Ahead
  // as of now, not as of its last credit: a receiver credits a batch only once it is done, and
  // counted whole, a batch of 4,096 W3 candidates (14 ms) it was half through had kept its
  // top-up back until it ran dry (1-4 ms a run on 2 MPI ranks).
  if (itemNs === 0 || channel.latencyNs === 0)
    return channel.pendingItems < UNKNOWN_BATCHES * channel.batchSize;
  return aheadNs <= channel.coverNs;
}
