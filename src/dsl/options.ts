/**
 * Validates options at the public facade, naming the option path:
 * `assertOption('pe("Double").instances', n, isPositiveInteger, 'a positive integer')`.
 */
export function assertOption<T>(
  path: string,
  value: T,
  valid: (value: T) => boolean,
  expectation: string,
): void {
  if (!valid(value)) {
    throw new RangeError(`${path} must be ${expectation}, got ${String(value)}`);
  }
}

export function isPositiveInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

export function isNonNegativeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
