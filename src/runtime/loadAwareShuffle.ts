import type { Route } from '../plan/routing.js';
import { Channel } from './Channel.js';
import type { Target } from './sinks.js';

/**
 * How many batches a channel may have in flight (sent, not yet processed by the receiver)
 * and still be given work ahead of a receiver on this endpoint: a quarter of its credit window
 * (which each backend sizes to cover its transport's round trip: 16 over MessagePorts, 64
 * through an MQTT broker), at least 2.
 */
function backlogLimit(channel: Channel): number {
  return Math.max(2, Math.ceil(channel.window / 4));
}

/**
 * Work (ns) a remote receiver may have ahead of it beyond the least loaded one's and still take
 * its turn. Receivers that keep up stay within it and are dealt strict round robin; one that
 * falls further behind is skipped until the others catch up.
 */
const SLACK_NS = 1_000_000;

/**
 * @internal The shuffle route of a sending instance some of whose receivers run elsewhere:
 * load-aware round robin (like Storm's load-aware shuffle). Items are dealt one at a time in
 * turn, skipping a receiver behind a {@link Channel} whose work ahead is more than
 * {@link SLACK_NS} above the least loaded remote receiver's, or — when a receiver on this
 * endpoint is in the rotation — that has used {@link backlogLimit} of its credits (a 5 ms
 * limit on its work ahead instead balanced MPI's W3 no better and starved a node behind
 * Mosquitto's delayed ACKs). Work ahead is items not yet processed
 * ({@link Channel.pendingItems}) times what an item costs the receivers, as their credits
 * say, averaged over them: they are instances of one PE, a slower one shows as items piling
 * up, and a cost estimate per receiver would only add its noise — times the whole stream when
 * a fast producer commits it at once.
 * Until a credit says what an item costs, the work is not known, and turns are not skipped
 * for it. A receiver on this endpoint is fed synchronously, so it holds the sender back by
 * itself; it is skipped only while `behind()` says this endpoint has input queued that it has
 * not reached (its own work is then what holds the run back: W5's `Normalise` fed a local
 * `Peak` half the traces, 40 µs of its own 60, while the remote `Peak` idled), and then
 * only for a remote receiver that is eligible.
 *
 * So a receiver that falls behind gets fewer items, and the run does not end waiting on the
 * slowest; receivers that keep up get an even round robin — also when a fast producer commits
 * its whole stream before any receiver has processed a batch (W3: a load-aware rule that
 * favoured idle receivers dealt those items unevenly, and one worker finished 6 ms late).
 * Which instance takes which item changes; the multiset of items each connection delivers
 * does not.
 */
export function loadAwareShuffle(
  targets: readonly Target[],
  fromInstance: number,
  behind: () => boolean = () => false,
): Route {
  const channels = targets.map((t) => (t instanceof Channel ? t : undefined));
  const remote = channels.filter((c): c is Channel => c !== undefined);
  const n = targets.length;
  const hasLocal = remote.length < n;
  let next = fromInstance % n;

  return () => {
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
    const skipLocal = hasLocal && behind();
    let firstLocal = -1;
    for (let step = 0; step < n; step++) {
      const i = (next + step) % n;
      const channel = channels[i];
      if (channel === undefined) {
        if (!skipLocal) {
          next = (i + 1) % n;
          return i;
        }
        if (firstLocal < 0) firstLocal = i;
      } else if (eligible(channel, leastItems, itemNs, hasLocal)) {
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
): boolean {
  const work = channel.pendingItems * itemNs;
  if (work > leastItems * itemNs + SLACK_NS) return false;
  return !hasLocal || channel.backlog < backlogLimit(channel);
}
