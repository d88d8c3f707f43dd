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
 * Batches a remote receiver may be behind the least loaded one and still take its turn.
 * Receivers that keep up stay within one batch of each other and are dealt strict round
 * robin; one that falls further behind is skipped until the others catch up.
 */
const SLACK = 1;

/**
 * @internal The shuffle route of a sending instance some of whose receivers run elsewhere:
 * load-aware round robin (like Storm's load-aware shuffle). Items are dealt one at a time in
 * turn, skipping a receiver behind a {@link Channel} whose backlog (batches in flight) is
 * more than {@link SLACK} above the least backlogged remote receiver's, or (when a receiver
 * on this endpoint is in the rotation) has reached {@link backlogLimit}. A receiver on this
 * endpoint is never skipped: it is fed synchronously, so it holds the sender back by itself.
 *
 * So a receiver that falls behind gets fewer items, and the run does not end waiting on the
 * slowest; receivers that keep up get an even round robin — also when a fast producer commits
 * its whole stream before any receiver has processed a batch (W3: a load-aware rule that
 * favoured idle receivers dealt those items unevenly, and one worker finished 6 ms late).
 * Which instance takes which item changes; the multiset of items each connection delivers
 * does not.
 */
export function loadAwareShuffle(targets: readonly Target[], fromInstance: number): Route {
  const channels = targets.map((t) => (t instanceof Channel ? t : undefined));
  const n = targets.length;
  const hasLocal = channels.includes(undefined);
  let next = fromInstance % n;

  const eligible = (channel: Channel | undefined, least: number): boolean =>
    channel === undefined ||
    (channel.backlog <= least + SLACK && (!hasLocal || channel.backlog < backlogLimit(channel)));

  return () => {
    let least = Number.POSITIVE_INFINITY;
    for (const channel of channels) if (channel && channel.backlog < least) least = channel.backlog;
    for (let step = 0; step < n; step++) {
      const i = (next + step) % n;
      if (eligible(channels[i], least)) {
        next = (i + 1) % n;
        return i;
      }
    }
    // Unreachable: a local receiver or the least backlogged remote one is always eligible.
    return next;
  };
}
