import { Observable, Subscriber, type Subscription } from 'rxjs';
import { copyForReceiver } from './codec.js';

/**
 * @internal One output port read by several receivers (connections and workflow outputs).
 * Each receiver but the last gets its own copy of every item, so a receiver that mutates an
 * item never affects a sibling (dispel4py's copy-on-tee). The source is subscribed once, by
 * {@link Tee.connect}, after every receiver has subscribed.
 */
export class Tee<T> extends Observable<T> {
  private readonly receivers: Subscriber<T>[] = [];

  constructor(private readonly upstream: Observable<T>) {
    super((subscriber) => {
      this.receivers.push(subscriber);
    });
  }

  connect(): Subscription {
    return this.upstream.subscribe(new TeeSubscriber(this.receivers));
  }
}

class TeeSubscriber<T> extends Subscriber<T> {
  constructor(private readonly receivers: readonly Subscriber<T>[]) {
    super();
    for (const receiver of receivers) receiver.add(this);
  }

  protected override _next(value: T): void {
    const last = this.receivers.length - 1;
    for (let i = 0; i < last; i++) this.receivers[i]!.next(copyForReceiver(value));
    this.receivers[last]!.next(value);
  }

  protected override _error(error: unknown): void {
    this.unsubscribe();
    for (const receiver of this.receivers) receiver.error(error);
  }

  protected override _complete(): void {
    this.unsubscribe();
    for (const receiver of this.receivers) receiver.complete();
  }
}
