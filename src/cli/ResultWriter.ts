import { closeSync, openSync, writeSync } from 'node:fs';
import { UsageError } from '../errors.js';

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Bytes buffered before a write. */
const FLUSH_BYTES = 64 * 1024;

/**
 * Writes results as JSON lines (`{"output": name, "value": ...}`) to stdout or a file.
 * Lines are buffered briefly (up to 64 KiB, or until the event loop turns) and written with
 * synchronous writes, so everything handed to {@link ResultWriter.write} is out once
 * {@link ResultWriter.flush} returns, even when the process exits right after (Ctrl-C).
 *
 * Values are structured-clone values; JSON has no Map, Set, BigInt or typed array, so a
 * Map becomes an object (or an array of entries when a key is not a string), a Set or a
 * typed array an array, a BigInt a string of digits.
 */
export class ResultWriter {
  private readonly fd: number;
  private readonly owned: boolean;
  private buffer = '';
  private scheduled = false;
  /** Results written so far. */
  count = 0;

  constructor(file?: string) {
    if (file === undefined || file === '-') {
      this.fd = 1;
      this.owned = false;
      return;
    }
    try {
      this.fd = openSync(file, 'w');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(
        `cannot write results to "${file}" (${code ?? 'error'})`,
        'check that its folder exists and is writable (-o FILE)',
        {
          cause: error,
        },
      );
    }
    this.owned = true;
  }

  /** Queues one result line. */
  write(output: string, value: unknown): void {
    this.buffer += JSON.stringify({ output, value }, jsonReplacer) + '\n';
    this.count++;
    if (this.buffer.length >= FLUSH_BYTES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes out everything queued. */
  flush(): void {
    if (this.buffer.length === 0) return;
    const data = Buffer.from(this.buffer);
    this.buffer = '';
    let offset = 0;
    while (offset < data.length) {
      try {
        offset += writeSync(this.fd, data, offset);
      } catch (error) {
        // A closed pipe (`| head`) ends the output quietly; a full non-blocking pipe retries.
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          // A full non-blocking pipe: wait a millisecond for the reader, synchronously.
          Atomics.wait(pause, 0, 0, 1);
          continue;
        }
        if (code === 'EPIPE') return;
        throw error;
      }
    }
  }

  /** Flushes, and closes the file if it is one. */
  close(): void {
    this.flush();
    if (this.owned) closeSync(this.fd);
  }
}

/** JSON for the structured-clone values JSON.stringify does not map itself. */
export function jsonReplacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) {
    const entries = [...(value as Map<unknown, unknown>)];
    return entries.every(([k]) => typeof k === 'string') ? Object.fromEntries(entries) : entries;
  }
  if (value instanceof Set) return [...(value as Set<unknown>)];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (x) =>
      typeof x === 'bigint' ? x.toString() : x,
    );
  }
  if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
  return value;
}
