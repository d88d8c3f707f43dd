import { Observable, type Subscriber } from 'rxjs';

/** @internal The `last` of a feed that has received nothing yet. */
export const NOTHING: unique symbol = Symbol('dispel4ts.nothing');

/** @internal The input feeds of one PE instance, and which of them received last. */
export interface InstanceFeeds {
  latest: InputFeed | undefined;
}

/**
 * @internal One input port of one PE instance: items pushed by the senders are passed to
 * whatever the PE's function subscribed to the port (usually one subscriber; a PE reading a
 * port twice gets each item on both), and the port completes once every sending instance on
 * every incoming connection has sent its end of stream. It remembers the last item, which a
 * failing instance's error names.
 */
export class InputFeed {
  private first: Subscriber<unknown> | undefined;
  private readonly others: Subscriber<unknown>[] = [];
  private done = false;
  /** Ends of stream still expected: one per sending instance of every incoming connection. */
  pending = 0;
  /** The last item received, or {@link NOTHING}. */
  last: unknown = NOTHING;

  /** @param instance shared by the feeds of a multi-input instance, to know which was last */
  constructor(private readonly instance?: InstanceFeeds) {}

  readonly stream = new Observable<unknown>((subscriber) => {
    if (this.done) {
      subscriber.complete();
      return undefined;
    }
    if (!this.first) this.first = subscriber;
    else this.others.push(subscriber);
    return () => {
      if (this.first === subscriber) this.first = this.others.shift();
      else this.others.splice(this.others.indexOf(subscriber), 1);
    };
  });

  next(value: unknown): void {
    // Per-item hot path: one store to remember the item, one call to deliver it.
    this.last = value;
    if (this.instance) this.instance.latest = this;
    const first = this.first;
    if (first) first.next(value);
    if (this.others.length > 0) for (const subscriber of this.others.slice()) subscriber.next(value);
  }

  /** One sender finished; completes the port when it was the last. */
  endOfStream(): void {
    if (--this.pending > 0 || this.done) return;
    this.done = true;
    const subscribers = this.first ? [this.first, ...this.others] : [];
    for (const subscriber of subscribers) subscriber.complete();
  }
}
