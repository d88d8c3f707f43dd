import { Observable, Subscriber } from 'rxjs';
import type { InstanceCounter } from './InstanceCounter.js';
import type { RunStats, SampleClock } from './RunStats.js';

type Streams = Readonly<Record<string, Observable<unknown>>>;

/**
 * @internal Wraps the input streams given to a PE instance's function so that each item
 * is counted (and, with timing, sampled items timed) as the instance receives it. Shared by
 * the sequential engine and the distributed runtime; a run without {@link RunStats} is not
 * wrapped at all, so it costs nothing.
 */
export function probeInputs(inputs: Streams, counter: InstanceCounter, stats: RunStats): Streams {
  const probed: Record<string, Observable<unknown>> = {};
  for (const [port, stream] of Object.entries(inputs)) {
    let counted = false;
    probed[port] = new Observable<unknown>((subscriber) => {
      // A PE that reads a port twice sees each item twice; it received it once.
      if (counted) return stream.subscribe(subscriber);
      counted = true;
      return stream.subscribe(
        stats.timing
          ? new TimedInput(subscriber, counter, stats.clock)
          : new CountedInput(subscriber, counter),
      );
    });
  }
  return probed;
}

/**
 * @internal Wraps the output streams a PE instance's function returned, counting the items
 * written on its declared output ports. For a producer with timing, the time between two
 * writes (less what the write itself ran downstream) is its time per item.
 */
export function probeOutputs(
  outputs: Streams,
  declared: readonly string[],
  counter: InstanceCounter,
  stats: RunStats,
  producer: boolean,
): Streams {
  const probed: Record<string, Observable<unknown>> = {};
  for (const [port, stream] of Object.entries(outputs)) {
    if (!declared.includes(port)) {
      probed[port] = stream;
      continue;
    }
    probed[port] = new Observable<unknown>((subscriber) =>
      stream.subscribe(
        producer && stats.timing
          ? new TimedProducerOutput(subscriber, counter)
          : new CountedOutput(subscriber, counter),
      ),
    );
  }
  return probed;
}

class CountedInput extends Subscriber<unknown> {
  constructor(
    destination: Subscriber<unknown>,
    private readonly counter: InstanceCounter,
  ) {
    super(destination);
  }

  protected override _next(value: unknown): void {
    this.counter.itemsIn++;
    this.destination.next(value);
  }
}

/**
 * Times sampled items from receipt until the instance has handled them, excluding the time
 * of the instances it fed synchronously (their frames nest in this one). Items that are not
 * sampled cost a decrement and a comparison, unless an enclosing frame is open, when they
 * are timed for its sake.
 */
class TimedInput extends Subscriber<unknown> {
  constructor(
    destination: Subscriber<unknown>,
    private readonly counter: InstanceCounter,
    private readonly clock: SampleClock,
  ) {
    super(destination);
  }

  protected override _next(value: unknown): void {
    const counter = this.counter;
    counter.itemsIn++;
    const sampled = --counter.countdown === 0;
    const clock = this.clock;
    if (!sampled && clock.depth === 0) {
      this.destination.next(value);
      return;
    }
    this.timed(value, sampled);
  }

  /** Kept apart so the per-item path above stays small enough to inline. */
  private timed(value: unknown, sampled: boolean): void {
    const counter = this.counter;
    const clock = this.clock;
    if (sampled) counter.take();
    const start = clock.enter();
    // Subscriber.next does not throw (errors travel as notifications), so no finally.
    this.destination.next(value);
    const own = clock.exit(start);
    if (sampled) counter.record(own);
  }
}

class CountedOutput extends Subscriber<unknown> {
  constructor(
    destination: Subscriber<unknown>,
    private readonly counter: InstanceCounter,
  ) {
    super(destination);
  }

  protected override _next(value: unknown): void {
    this.counter.itemsOut++;
    this.destination.next(value);
  }
}

/**
 * A producer's time per item: from the end of one write to the start of the next, when the
 * next comes synchronously. A gap that spans a turn of the event loop (an asynchronous
 * source, or a producer paused by flow control) is waiting, not work: a microtask drops
 * that sample and the next item is timed in its place.
 */
class TimedProducerOutput extends Subscriber<unknown> {
  private since = -1;

  constructor(
    destination: Subscriber<unknown>,
    private readonly counter: InstanceCounter,
  ) {
    super(destination);
  }

  protected override _next(value: unknown): void {
    const counter = this.counter;
    counter.itemsOut++;
    if (this.since >= 0) {
      counter.record(performance.now() - this.since);
      this.since = -1;
    }
    this.destination.next(value);
    if (--counter.countdown === 0) {
      counter.take();
      const since = (this.since = performance.now());
      queueMicrotask(() => {
        if (this.since !== since) return;
        this.since = -1;
        counter.countdown = 1;
      });
    }
  }
}
