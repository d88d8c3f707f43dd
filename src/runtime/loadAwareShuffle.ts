import type { Route } from '../plan/routing.js';
import { Channel } from './Channel.js';
import type { Target } from './sinks.js';

/**
 * How many batches a channel may have in flight (sent, not yet processed by the receiver)
 * and still be given work: a quarter of its credit window (which each backend sizes to cover
 * its transport's round trip: 16 over MessagePorts, 64 through an MQTT broker), at least 2.
 * Past this the receiver is behind, and its turns go to the others.
 */
function backlogLimit(channel: Channel): number {
  return Math.max(2, Math.ceil(channel.window / 4));
}

/** Items per turn for a receiver behind a channel with nothing in flight (it is idle). */
const IDLE_TURN = 2;

/**
 * @internal The shuffle route of a sending instance some of whose receivers run elsewhere:
 * load-aware round robin (like Storm's load-aware shuffle). A receiver on this endpoint takes
 * one item per turn; one behind a {@link Channel} takes two while nothing is in flight to it
 * (it is idle, or about to be), one while its backlog is under {@link backlogLimit}, and none
 * beyond: a receiver that falls behind gets fewer items, one that would go idle more, and the
 * run does not end waiting on the slowest. Which instance takes which item changes; the multiset of items each connection
 * delivers does not. With no receiver able to take a turn, the least loaded takes it (the
 * channel's credits then hold the sender back as usual).
 */
export function loadAwareShuffle(targets: readonly Target[], fromInstance: number): Route {
  const channels = targets.map((t) => (t instanceof Channel ? t : undefined));
  const n = targets.length;
  let current = fromInstance % n;
  let left = share(current);

  function share(i: number): number {
    const channel = channels[i];
    if (!channel) return 1;
    const { backlog } = channel;
    return backlog === 0 ? IDLE_TURN : backlog < backlogLimit(channel) ? 1 : 0;
  }

  return () => {
    if (left > 0) {
      left--;
      return current;
    }
    for (let step = 1; step <= n; step++) {
      const i = (current + step) % n;
      const turns = share(i);
      if (turns > 0) {
        current = i;
        left = turns - 1;
        return i;
      }
    }
    // Every receiver is behind: the one with the fewest batches waiting.
    let best = 0;
    for (let i = 1; i < n; i++) if (channels[i]!.backlog < channels[best]!.backlog) best = i;
    current = best;
    return best;
  };
}
