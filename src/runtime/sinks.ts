import { Subscriber } from 'rxjs';
import { assertCloneable, copyForReceiver, type WriteSite } from './codec.js';
import { NOTHING } from './InputFeed.js';
import { ALL, type Route } from '../plan/routing.js';

/**
 * @internal The subscribers at the end of a PE instance's output streams.
 *
 * Why subclasses of RxJS's `Subscriber` rather than observer objects: `subscribe(observer)`
 * wraps an observer in two more objects, each a call and a try/catch per item, and this is
 * the per-item hot path of every PE boundary (W1 measures it). A `Subscriber` is used as it
 * is. It also gives the engine the subscription handle *before* the source starts, so a
 * failure can stop a synchronous producer mid-loop.
 */
abstract class Sink extends Subscriber<unknown> {
  constructor(
    protected readonly site: WriteSite,
    private readonly onError: (error: unknown) => void,
    private readonly onComplete: () => void,
  ) {
    super();
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    this.onError(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    this.onComplete();
  }
}

/**
 * @internal Where a connection delivers to one receiving instance: its input feed when it
 * runs here, or an outbox to the worker that runs it.
 */
export interface Target {
  next(value: unknown): void;
  endOfStream(): void;
}

/** @internal Routes every item of one connection, from one sending instance, into input feeds. */
export class ConnectionSink extends Sink {
  private readonly only: Target | undefined;

  constructor(
    site: WriteSite,
    private readonly targets: readonly Target[],
    private readonly route: Route | undefined,
    onError: (error: unknown) => void,
    onComplete: () => void,
  ) {
    super(site, onError, onComplete);
    this.only = route ? undefined : targets[0];
  }

  protected override _next(value: unknown): void {
    const only = this.only;
    if (only && isPrimitive(value)) {
      only.next(value);
      return;
    }
    let target = 0;
    try {
      assertCloneable(value, this.site);
      if (this.route) target = this.route(value);
    } catch (error) {
      this.error(error);
      return;
    }
    if (only) {
      only.next(value);
    } else if (target !== ALL) {
      this.targets[target]!.next(value);
    } else {
      const last = this.targets.length - 1;
      for (let i = 0; i < last; i++) this.targets[i]!.next(copyForReceiver(value));
      this.targets[last]!.next(value);
    }
  }
}

/** Primitives other than symbols always cross; the per-item fast path. */
function isPrimitive(value: unknown): boolean {
  const t = typeof value;
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'undefined' || t === 'bigint';
}

/** @internal Hands every item of a workflow output to `emit`, checked like any crossing item. */
export class OutputSink extends Sink {
  constructor(
    site: WriteSite,
    private readonly emit: (value: unknown) => void,
    onError: (error: unknown) => void,
    onComplete: () => void,
  ) {
    super(site, onError, onComplete);
  }

  protected override _next(value: unknown): void {
    try {
      assertCloneable(value, this.site);
    } catch (error) {
      this.error(error);
      return;
    }
    this.emit(value);
  }
}

/** @internal Runs a stream whose items nobody reads (a consumer's drain): drops them. */
export class DrainSink extends Sink {
  protected override _next(): void {}
}

/**
 * @internal A connection fused away: one sending instance feeding one receiving instance
 * that reads nothing else on that port. Instead of a sink pushing into an input feed, the
 * receiver's input *is* the sender's output, through this one subscriber that checks each
 * item, remembers it (for the receiver's error) and passes it on. A sender's error is named
 * here, as the sender's, before it travels on through the receiver.
 */
export class FusedSubscriber extends Subscriber<unknown> {
  /** The last item passed to the receiver, or {@link NOTHING}. */
  last: unknown = NOTHING;

  constructor(
    destination: Subscriber<unknown>,
    private readonly site: WriteSite,
    private readonly senderError: (error: unknown) => unknown,
  ) {
    super(destination);
  }

  protected override _next(value: unknown): void {
    const t = typeof value;
    if (
      t !== 'number' &&
      t !== 'string' &&
      t !== 'boolean' &&
      t !== 'bigint' &&
      t !== 'undefined'
    ) {
      try {
        assertCloneable(value, this.site);
      } catch (error) {
        this.error(error);
        return;
      }
    }
    this.last = value;
    this.destination.next(value);
  }

  /** Delivers to `destination` from now on (a fused input that gained a second reader). */
  redirect(destination: Subscriber<unknown>): void {
    // The old reader no longer owns this subscription: its unsubscribe must not end the others'.
    if (this.destination instanceof Subscriber) this.destination.remove(this);
    this.destination = destination;
  }

  protected override _error(error: unknown): void {
    super._error(this.senderError(error));
  }
}
