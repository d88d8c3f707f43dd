import { isObservable, Observable } from 'rxjs';
import type { ProducerOutput } from '../dsl/definition.js';

/**
 * @internal A producer's items as a stream that gives the event loop a turn after every
 * `slice` items: what the sequential engine uses when a caller asks for `yieldEvery`, so a
 * long run on one thread still draws progress, flushes output and answers Ctrl-C. The items
 * and their order are the producer's own; only when they are pushed changes. Observables
 * (sources that push) are used as they are.
 */
export function slicedProducer(produced: ProducerOutput, slice: number): Observable<unknown> {
  if (isObservable(produced)) return produced;
  const iterator = produced;
  return new Observable<unknown>((subscriber) => {
    let stopped = false;
    const loop = async (): Promise<void> => {
      if (Symbol.asyncIterator in iterator) {
        const async = iterator as AsyncIterator<unknown>;
        for (;;) {
          const step = await async.next();
          if (stopped || step.done) break;
          subscriber.next(step.value);
        }
      } else {
        const sync = iterator as Iterator<unknown>;
        for (;;) {
          for (let n = 0; n < slice; n++) {
            const step = sync.next();
            if (step.done) {
              subscriber.complete();
              return;
            }
            subscriber.next(step.value);
            if (subscriber.closed) return;
          }
          await new Promise<void>((next) => setImmediate(next));
          if (stopped) return;
        }
      }
      if (!stopped) subscriber.complete();
    };
    loop().catch((error: unknown) => subscriber.error(error));
    return () => {
      stopped = true;
    };
  });
}
