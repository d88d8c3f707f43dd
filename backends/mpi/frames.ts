import type { Socket } from 'node:net';

/**
 * @internal Writes one frame to the socket between a parent process and rank 0:
 * `u32 payload length | i32 tag | payload`, the payload gathered from `parts` (not copied).
 */
export function writeFrame(socket: Socket, tag: number, parts: readonly Uint8Array[]): void {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(length, 0);
  head.writeInt32LE(tag, 4);
  socket.cork();
  socket.write(head);
  for (const part of parts) {
    if (part.byteLength > 0) socket.write(part);
  }
  process.nextTick(() => socket.uncork());
}

/**
 * @internal Cuts a socket's byte stream into the frames {@link writeFrame} wrote. A payload is
 * a view into the chunk it arrived in when it fits in one, otherwise a copy.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly onFrame: (tag: number, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    for (;;) {
      if (this.buffered < 8) return;
      const head = this.peek(8);
      const length = head.readUInt32LE(0);
      const tag = head.readInt32LE(4);
      if (this.buffered < 8 + length) return;
      this.take(8);
      this.onFrame(tag, this.take(length));
    }
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    return first.length >= n ? first : Buffer.concat(this.chunks).subarray(0, n);
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.buffered -= n;
    return out;
  }
}
