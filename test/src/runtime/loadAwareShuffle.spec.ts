import { describe, expect, it, vi } from 'vitest';
import { loadAwareShuffle } from '../../../src/runtime/loadAwareShuffle.js';
import type { Route } from '../../../src/plan/routing.js';
import type { Target } from '../../../src/runtime/sinks.js';
import { recordingChannel } from '../../helpers/channels.js';

/** A channel to another endpoint, batches of one item, `window` credits; counts data sent. */
function remote(window: number): {
  channel: ReturnType<typeof recordingChannel>['channel'];
  sent: () => number;
} {
  const { channel, sent } = recordingChannel(1, window);
  return { channel, sent: () => sent.filter((s) => s.message.kind === 'data').length };
}

const local: Target = { next: () => undefined, endOfStream: () => undefined };

/**
 * Routes `n` items, sending each to its target (so remote batches, of one item, go out);
 * returns the target of each.
 */
function picks(route: Route, targets: readonly Target[], n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const t = route(i);
    targets[t]!.next(i);
    return t;
  });
}

/** How many of `n` items each target takes from a fresh route. */
function deal(targets: readonly Target[], n: number): number[] {
  const counts = targets.map(() => 0);
  for (const t of picks(loadAwareShuffle(targets, 0), targets, n)) counts[t]!++;
  return counts;
}

describe('loadAwareShuffle', () => {
  it('deals strict round robin among remote receivers that keep up', () => {
    const a = remote(64);
    const b = remote(64);
    const targets = [a.channel, b.channel];
    // Batches of one: each item grows its receiver's backlog by one.
    expect(picks(loadAwareShuffle(targets, 0), targets, 8)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('next to a local receiver, sends the remote one its partial batch once the end of the stream cuts it off', () => {
    const { channel, sent } = recordingChannel(4, 64); // batches of 4 items
    const targets = [channel, local];
    let left = 6;
    const route = loadAwareShuffle(targets, 0, { remaining: () => left });
    const dealt = Array.from({ length: 6 }, (_, i) => {
      left--;
      const t = route(i);
      targets[t]!.next(i);
      return t;
    });
    expect(dealt).toEqual([0, 0, 0, 1, 1, 1]);
    // Its 3 items went when it was cut off, not left to wait for a batch that would never fill.
    expect(sent.map((s) => s.message.kind === 'data' && Array.from(s.message.items))).toEqual([
      [0, 1, 2],
    ]);
  });

  it('skips a remote receiver with over 1 ms more work ahead than the least loaded, until the others catch up', () => {
    const a = remote(64);
    const b = remote(64);
    a.channel.grant(0, 1e6); // their credits said: an item costs the receiver 1 ms
    b.channel.grant(0, 1e6);
    for (let i = 0; i < 3; i++) a.channel.next(i); // a: 3 ms of work ahead, b: none
    expect(a.channel.pendingItems).toBe(3);
    const targets = [a.channel, b.channel];
    // b takes items until it is within 1 ms of a (2 ms against 3), then turns alternate.
    expect(picks(loadAwareShuffle(targets, 0), targets, 6)).toEqual([1, 1, 0, 1, 0, 1]);
  });

  it('next to a local receiver, gives the remote one a few full batches before credits say what its items cost, then the local one takes the items', () => {
    const { channel } = remote(64); // backlog limit 32 batches of one item; unknown: 4 batches
    const targets = [channel, local];
    expect(picks(loadAwareShuffle(targets, 0), targets, 7)).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(channel.pendingItems).toBe(4);
  });

  it('next to a local receiver, gives the remote one no more than the producer has left, so both end together', () => {
    const { channel } = remote(64);
    const targets = [channel, local];
    let left = 7;
    const route = loadAwareShuffle(targets, 0, { remaining: () => left });
    const dealt = Array.from({ length: 7 }, (_, i) => {
      left--; // the producer pulled item i: this many are still to come
      const t = route(i);
      targets[t]!.next(i);
      return t;
    });
    // Without the count, the remote one would take 4 (its unknown-cost allowance): here it
    // stops once its items ahead reach what is left, and the local one takes the last 4.
    expect(dealt).toEqual([0, 0, 0, 1, 1, 1, 1]);
  });

  it('routes every item somewhere: the least loaded remote when all are behind', () => {
    const a = remote(8);
    const b = remote(8);
    const counts = deal([a.channel, b.channel], 20);
    expect(counts[0]! + counts[1]!).toBe(20);
    // Past their credits they alternate by backlog, and what has no credit waits.
    expect(Math.abs(counts[0]! - counts[1]!)).toBeLessThanOrEqual(1);
    expect(a.sent() + b.sent()).toBe(16); // 8 credits each; the rest waits for credit
  });

  it('next to a local receiver, gives the remote one work ahead up to twice its trip plus 1 ms, once credits say what they are', () => {
    const now = vi.spyOn(performance, 'now');
    try {
      let ms = 0;
      now.mockImplementation(() => ms);
      const { channel } = remote(512); // a backlog limit (256 batches) that does not bind
      channel.next(0); // sent at 0 ms, alone in flight
      ms = 2;
      channel.grant(1, 100_000); // back at 2 ms; its item cost 0.1 ms: a 1.9 ms trip
      expect(channel.latencyNs).toBeCloseTo(1_900_000, -3);
      const targets = [channel, local];
      const dealt = picks(loadAwareShuffle(targets, 0), targets, 60);
      // 2 x 1.9 ms + 1 ms = 4.8 ms of work at 0.1 ms an item: 48 items, then the local one.
      expect(dealt.filter((t) => t === 0)).toHaveLength(49);
      expect(dealt.slice(49).every((t) => t === 1)).toBe(true);
    } finally {
      now.mockRestore();
    }
  });

  it('next to a local receiver, counts what the remote one has done since its last credit, and tops it up before it runs dry', async () => {
    const now = vi.spyOn(performance, 'now');
    try {
      let ms = 0;
      now.mockImplementation(() => ms);
      const { channel } = remote(512);
      channel.next(0);
      ms = 2;
      channel.grant(1, 100_000); // 0.1 ms an item; a 1.9 ms trip: covers 4.8 ms, 48 items
      const targets = [channel, local];
      const route = loadAwareShuffle(targets, 0);
      expect(picks(route, targets, 60).filter((t) => t === 0)).toHaveLength(49);
      expect(channel.workAheadNs(ms)).toBeCloseTo(4_900_000, -3);
      // 2 ms later, no credit yet (a batch is credited only once done): the receiver has done
      // about 20 of its items, so it gets about 20 more, where counting the uncredited items
      // whole would give it none until its next credit.
      ms = 4;
      expect(channel.workAheadNs(ms)).toBeCloseTo(2_900_000, -3);
      await Promise.resolve(); // a new turn: the route reads the clock again
      const later = picks(route, targets, 30).filter((t) => t === 0).length;
      expect(later).toBeGreaterThanOrEqual(19);
      expect(later).toBeLessThanOrEqual(21);
    } finally {
      now.mockRestore();
    }
  });

  it('next to a local receiver, while the sender is behind on its own input, gives the remote one work until every credit is in use', () => {
    const { channel } = remote(8); // 8 credits; half: 4
    let behind = true;
    const targets = [channel, local];
    const route = loadAwareShuffle(targets, 0, { behind: () => behind });
    expect(picks(route, targets, 10)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    behind = false; // caught up: half the credits is the limit again
    channel.grant(4);
    expect(route(10)).toBe(1); // 4 batches in flight, at half: the local one
    channel.grant(1);
    expect(route(11)).toBe(0); // 3 in flight, under half: the remote one comes first again
  });

  it('next to a local receiver, keeps items that cost more to move than to process there, even while behind', () => {
    // A transport that copies: 0.25 ns a byte, so a 64 KiB trace costs about 16 us to move.
    const { channel } = recordingChannel(1, 64, false, 0.25);
    const trace = () => ({ t: 0, samples: new Float64Array(8192) });
    channel.next(trace()); // its payload is known from the batches sent
    channel.grant(1, 8_000); // the receiver's credit: 8 us an item
    expect(channel.moveItemNs).toBeCloseTo(16_384, 0);
    const targets = [channel, local];
    for (const behind of [false, true]) {
      const route = loadAwareShuffle(targets, 0, { behind: () => behind });
      expect(picks(route, targets, 4)).toEqual([1, 1, 1, 1]);
    }
    // Work worth more than the move (40 us an item) goes to the remote receiver again.
    channel.grant(0, 200_000);
    expect(loadAwareShuffle(targets, 0)(0)).toBe(0);
  });

  it('gives remote receivers items however costly to move when there is no local one', () => {
    const a = recordingChannel(1, 64, false, 0.25).channel;
    const b = recordingChannel(1, 64, false, 0.25).channel;
    for (const channel of [a, b]) {
      channel.next({ samples: new Float64Array(8192) });
      channel.grant(1, 1_000);
    }
    const targets = [a, b];
    const route = loadAwareShuffle(targets, 0);
    const dealt = Array.from({ length: 4 }, (_, i) => {
      const t = route(i);
      targets[t]!.next({ samples: new Float64Array(8192) });
      return t;
    });
    expect(dealt).toEqual([0, 1, 0, 1]);
  });

  it('deals plain round robin among receivers on this endpoint', () => {
    expect(deal([local, local, local], 9)).toEqual([3, 3, 3]);
  });
});
