import v8 from 'node:v8';
import type { Message } from '../../src/runtime/protocol.js';

/**
 * How protocol messages cross an MPI rank boundary (and the socket to a parent process): as
 * bytes, by V8's own structured-clone serialiser, so Map, Set, BigInt, Date, RegExp and typed
 * arrays mean the same on the other side.
 *
 * Typed arrays whose buffer the sender gave up (the runtime's transfer list: all-number
 * batches, and typed arrays written as items or fields of items) are not copied into the
 * serialised header: they travel as separate parts of one message, each starting at a multiple
 * of 8 bytes; the addon sends parts of 16 KiB or more straight from their memory (no copy on
 * the sending side) and copies only the small ones. On the receiving side they become views into
 * the received message (no copy either). Typed arrays not given up are copied once (the writer
 * may still change them), small ones into the header, as a structured clone would; views into
 * a message this rank received count as given up (see {@link markReceived}).
 *
 * Layout: `u32 header length | header (V8 serialised) | pad | part 0 | pad | part 1 ...`.
 *
 * The messages of the hot path — credits, ends of stream and all-number batches (a
 * Float64Array) — have a fixed binary layout instead (a V8 serialiser costs tens of µs to set
 * up, more than such a message's whole trip): `u32 0xffffffff | u8 kind | u8 run length | u16 0
 * | i32 from, connection, sender, to, messages, itemNs (-1: none) | run | pad | float64s`.
 */
export function encodeMessage(message: Message, transfer?: readonly ArrayBuffer[]): Uint8Array[] {
  const fast = encodeFast(message);
  if (fast) return fast;
  const serializer = new WireSerializer(
    transfer && transfer.length > 0 ? new Set(transfer) : undefined,
  );
  serializer.writeHeader();
  serializer.writeValue(message);
  const header = serializer.releaseBuffer();
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeUInt32LE(header.length, 0);
  const parts: Uint8Array[] = [prefix, header];
  let offset = 4 + header.length;
  for (const part of serializer.parts) {
    const pad = (8 - (offset % 8)) % 8;
    if (pad > 0) parts.push(PAD.subarray(0, pad));
    parts.push(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    offset += pad + part.byteLength;
  }
  return parts;
}

/** Total bytes of an encoded message. */
export function encodedLength(parts: readonly Uint8Array[]): number {
  let total = 0;
  for (const part of parts) total += part.byteLength;
  return total;
}

/**
 * Rebuilds a message from the bytes {@link encodeMessage} produced. Typed arrays sent as
 * parts are views into `bytes` (copied only if `bytes` is not 8-byte aligned in memory).
 */
export function decodeMessage(bytes: Uint8Array): Message {
  return decodeMessageViews(bytes).message;
}

/**
 * {@link decodeMessage}, also saying whether the message holds views into `bytes` (typed
 * arrays sent as parts): if not, nothing refers to `bytes` any more once it is decoded.
 */
export function decodeMessageViews(bytes: Uint8Array): { message: Message; views: boolean } {
  const headerLength = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16)) + bytes[3]! * 0x1000000;
  if (headerLength === FAST) {
    const message = decodeFast(bytes);
    return { message, views: message.kind === 'data' };
  }
  const header = Buffer.from(bytes.buffer, bytes.byteOffset + 4, headerLength);
  const deserializer = new WireDeserializer(header, bytes, 4 + headerLength);
  deserializer.readHeader();
  const message = deserializer.readValue() as Message;
  return { message, views: deserializer.views };
}

const PAD = new Uint8Array(8);

const FAST = 0xffffffff;
const FAST_CREDIT = 1;
const FAST_EOS = 2;
const FAST_NUMBERS = 3;
const FAST_HEAD = 32;

function encodeFast(message: Message): Uint8Array[] | undefined {
  let kind: number;
  let numbers: Float64Array | undefined;
  switch (message.kind) {
    case 'credit':
      kind = FAST_CREDIT;
      break;
    case 'eos':
      kind = FAST_EOS;
      break;
    case 'data':
      if (!(message.items instanceof Float64Array)) return undefined;
      kind = FAST_NUMBERS;
      numbers = message.items;
      break;
    default:
      return undefined;
  }
  const run = message.run;
  if (run.length > 255) return undefined;
  const unpadded = FAST_HEAD + run.length;
  const length = numbers ? unpadded + ((8 - (unpadded % 8)) % 8) : unpadded;
  const head = Buffer.allocUnsafe(length);
  head.writeUInt32LE(FAST, 0);
  head[4] = kind;
  head[5] = run.length;
  head.writeUInt16LE(0, 6);
  head.writeInt32LE(message.from, 8);
  head.writeInt32LE(message.connection, 12);
  head.writeInt32LE(message.sender, 16);
  head.writeInt32LE(message.to, 20);
  head.writeInt32LE(message.kind === 'credit' ? message.messages : 0, 24);
  head.writeInt32LE(message.kind === 'credit' && message.itemNs !== undefined ? message.itemNs : -1, 28);
  head.write(run, FAST_HEAD, 'latin1');
  if (!numbers) return [head];
  head.fill(0, unpadded);
  return [head, new Uint8Array(numbers.buffer, numbers.byteOffset, numbers.byteLength)];
}

let lastRunBytes = '';
let lastRun = '';

function decodeFast(bytes: Uint8Array): Message {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view[4]!;
  const runLength = view[5]!;
  const runBytes = view.toString('latin1', FAST_HEAD, FAST_HEAD + runLength);
  // Every message of a run carries its id: keep one string.
  if (runBytes !== lastRunBytes) {
    lastRunBytes = runBytes;
    lastRun = runBytes;
  }
  const ref = {
    run: lastRun,
    from: view.readInt32LE(8),
    connection: view.readInt32LE(12),
    sender: view.readInt32LE(16),
    to: view.readInt32LE(20),
  };
  if (kind === FAST_CREDIT) {
    const itemNs = view.readInt32LE(28);
    return { kind: 'credit', ...ref, messages: view.readInt32LE(24), ...(itemNs >= 0 ? { itemNs } : {}) };
  }
  if (kind === FAST_EOS) return { kind: 'eos', ...ref };
  const unpadded = FAST_HEAD + runLength;
  const start = unpadded + ((8 - (unpadded % 8)) % 8);
  const count = (bytes.byteLength - start) / 8;
  const at = bytes.byteOffset + start;
  const items =
    at % 8 === 0
      ? new Float64Array(bytes.buffer, at, count)
      : new Float64Array(new Uint8Array(bytes.buffer, at, count * 8).slice().buffer, 0, count);
  return { kind: 'data', ...ref, items };
}

/**
 * The memory of messages this process received whose typed arrays were decoded as views into
 * it (see {@link markReceived}).
 */
const received = new WeakSet<ArrayBuffer>();

/**
 * @internal Says that `bytes` is a received message's memory, held by nothing but the values
 * decoded from it: typed arrays that are views into it are sent on as parts (not copied first),
 * like given-up ones. Items are the stream's once written; and the addon keeps the memory alive
 * until the send has read it.
 */
export function markReceived(bytes: Uint8Array): void {
  received.add(bytes.buffer as ArrayBuffer);
}

/** Below this many bytes a given-up typed array is copied into the header anyway. */
const MIN_PART_BYTES = 256;

type ViewConstructor = new (
  buffer: ArrayBuffer,
  byteOffset: number,
  length: number,
) => ArrayBufferView;

const VIEW_TYPES: readonly ViewConstructor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  DataView,
  BigInt64Array,
  BigUint64Array,
];
/** The type index of Node's Buffer (a Uint8Array subclass), rebuilt as a Buffer. */
const BUFFER_TYPE = VIEW_TYPES.length;

const INLINE = 0;
const PART = 1;

function typeIndex(view: ArrayBufferView): number {
  if (Buffer.isBuffer(view)) return BUFFER_TYPE;
  const index = VIEW_TYPES.indexOf(view.constructor as ViewConstructor);
  if (index < 0) throw new TypeError(`cannot send a ${view.constructor.name} over MPI`);
  return index;
}

function elementSize(type: number): number {
  if (type === BUFFER_TYPE || type === 9) return 1;
  return (VIEW_TYPES[type] as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
}

function makeView(
  type: number,
  buffer: ArrayBuffer,
  byteOffset: number,
  byteLength: number,
): ArrayBufferView {
  if (type === BUFFER_TYPE) return Buffer.from(buffer, byteOffset, byteLength);
  const View = VIEW_TYPES[type];
  if (!View) throw new TypeError(`unknown typed array type ${type} in an MPI message`);
  return new View(buffer, byteOffset, byteLength / elementSize(type));
}

// Node's v8.Serializer calls these for host objects (typed arrays, once asked to treat them
// so); they are not in @types/node.
interface HostHooks {
  _setTreatArrayBufferViewsAsHostObjects(flag: boolean): void;
}

class WireSerializer extends v8.Serializer {
  readonly parts: ArrayBufferView[] = [];

  constructor(private readonly given: ReadonlySet<ArrayBuffer> | undefined) {
    super();
    (this as unknown as HostHooks)._setTreatArrayBufferViewsAsHostObjects(true);
  }

  _writeHostObject(view: unknown): void {
    if (!ArrayBuffer.isView(view)) throw new TypeError('only typed arrays can be sent over MPI');
    this.writeUint32(typeIndex(view));
    if (view.byteLength >= MIN_PART_BYTES) {
      this.writeUint32(PART);
      this.writeUint32(view.byteLength);
      // Not given up, nor a view into a received message: the sender may still change it, so
      // it is copied now, in one memcpy (the serialiser's own raw-bytes path is far slower).
      const buffer = view.buffer as ArrayBuffer;
      const given = (this.given?.has(buffer) ?? false) || received.has(buffer);
      this.parts.push(given ? view : copyOf(view));
    } else {
      this.writeUint32(INLINE);
      this.writeUint32(view.byteLength);
      this.writeRawBytes(view as NodeJS.ArrayBufferView);
    }
  }
}

function copyOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
}

class WireDeserializer extends v8.Deserializer {
  /** Whether a typed array was made a view into the message. */
  views = false;

  constructor(
    header: Buffer,
    private readonly message: Uint8Array,
    private offset: number,
  ) {
    super(header);
  }

  _readHostObject(): unknown {
    const type = this.readUint32();
    const where = this.readUint32();
    const byteLength = this.readUint32();
    if (where === INLINE) {
      // A standalone, aligned copy: the header buffer is short-lived and unaligned.
      const copy = new ArrayBuffer(byteLength);
      new Uint8Array(copy).set(this.readRawBytes(byteLength));
      return makeView(type, copy, 0, byteLength);
    }
    this.offset += (8 - (this.offset % 8)) % 8;
    const start = this.message.byteOffset + this.offset;
    this.offset += byteLength;
    if (start % 8 === 0) {
      this.views = true;
      return makeView(type, this.message.buffer as ArrayBuffer, start, byteLength);
    }
    const copy = new ArrayBuffer(byteLength);
    new Uint8Array(copy).set(new Uint8Array(this.message.buffer, start, byteLength));
    return makeView(type, copy, 0, byteLength);
  }
}
