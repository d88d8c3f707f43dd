import { Observable, Subscriber, type Subscription } from 'rxjs';
import type { FusedSubscriber } from './sinks.js';

/**
 * @internal The input port of a PE instance whose connection is fused away: the receiver
 * reads the sender's output directly, with no feed in between.
 *
 * Why it waits for {@link FusedInput.connect}: the sender's output is cold. A receiver that
 * subscribes its input more than once (a multi-port PE whose ports each read it, `partition`
 * included) would otherwise run the whole upstream chain once per subscription — a producer
 * twice, a stateful PE twice over the same state. So subscriptions are only collected until
 * the engine connects the port, once every port of the receiving instance has subscribed;
 * then the sender's output is subscribed once and each item goes to every subscriber (the
 * same item, as an {@link InputFeed} gives a port read twice). A subscriber that arrives
 * after the connection joins from the next item on.
 *
 * The usual case, one reader, is connected straight to it: a fused chain of PEs costs what
 * the same RxJS pipe costs (W1's sequential figure). The fan-out is put in only when needed.
 */
export class FusedInput extends Observable<unknown> {
  private readonly fanOut = new FanOut();
  private connected = false;
  /** The checking subscriber, while it delivers straight to a single reader. */
  private direct: FusedSubscriber | undefined;

  /**
   * @param sender the sending PE's name
   * @param upstream the sender's output, with the connection's fused operators applied
   * @param wrap the checking subscriber (a `FusedSubscriber`) put between upstream and readers
   * @param onFirstSubscriber called once, when the first reader subscribes (to schedule `connect`)
   */
  constructor(
    readonly sender: string,
    private readonly upstream: () => Observable<unknown>,
    private readonly wrap: (destination: Subscriber<unknown>) => FusedSubscriber,
    onFirstSubscriber: (input: FusedInput) => void,
  ) {
    super((subscriber) => {
      if (this.fanOut.addReader(subscriber) && !this.connected) onFirstSubscriber(this);
      if (this.direct) {
        // A reader after a single-reader connection: from now on, deliver through the fan-out.
        this.direct.redirect(this.fanOut);
        this.fanOut.add(this.direct);
        this.direct = undefined;
      }
      return () => this.fanOut.removeReader(subscriber);
    });
  }

  /** Subscribes the sender's output once, for every reader that has subscribed so far. */
  connect(): Subscription | undefined {
    if (this.connected) return undefined;
    this.connected = true;
    const only = this.fanOut.onlyReader();
    if (!only) return this.upstream().subscribe(this.wrap(this.fanOut));
    this.direct = this.wrap(only);
    return this.upstream().subscribe(this.direct);
  }
}

/** Passes each item to every reader of a fused input; the first without a loop. */
class FanOut extends Subscriber<unknown> {
  private first: Subscriber<unknown> | undefined;
  private readonly others: Subscriber<unknown>[] = [];

  /** Adds a reader; true when it is the first. */
  addReader(subscriber: Subscriber<unknown>): boolean {
    if (this.first) {
      this.others.push(subscriber);
      return false;
    }
    this.first = subscriber;
    return true;
  }

  /** The reader, when there is exactly one. */
  onlyReader(): Subscriber<unknown> | undefined {
    return this.others.length === 0 ? this.first : undefined;
  }

  /** Removes a reader; the last one gone unsubscribes the sender's output. */
  removeReader(subscriber: Subscriber<unknown>): void {
    if (this.first === subscriber) this.first = this.others.shift();
    else if (this.others.includes(subscriber))
      this.others.splice(this.others.indexOf(subscriber), 1);
    if (!this.first) this.unsubscribe();
  }

  protected override _next(value: unknown): void {
    this.first?.next(value);
    if (this.others.length > 0)
      for (const subscriber of this.others.slice()) subscriber.next(value);
  }

  protected override _error(error: unknown): void {
    const readers = this.readers();
    this.unsubscribe();
    for (const subscriber of readers) subscriber.error(error);
  }

  protected override _complete(): void {
    const readers = this.readers();
    this.unsubscribe();
    for (const subscriber of readers) subscriber.complete();
  }

  private readers(): Subscriber<unknown>[] {
    return this.first ? [this.first, ...this.others] : [];
  }
}
