import { Observable, type OperatorFunction } from 'rxjs';

/**
 * @internal The in-process meaning of a boundary operator: every item passes unchanged, after
 * `check(item)` (a group-by key function, so a throwing key fails here as it would in a run).
 */
export function passThrough<T>(check?: (item: T) => void): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) =>
      source.subscribe({
        next: (item) => {
          if (check) {
            try {
              check(item);
            } catch (error) {
              subscriber.error(error);
              return;
            }
          }
          subscriber.next(item);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
