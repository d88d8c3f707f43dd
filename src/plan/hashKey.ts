/**
 * A 32-bit FNV-1a hash of a group-by key, stable across processes, machines and runs
 * (unlike dispel4py's salted Python `hash()`), so every sender routes the same key to the
 * same instance. Keys are canonicalised first: strings and numbers by value, arrays and plain
 * objects structurally (object keys in sorted order).
 */
export function hashKey(key: unknown): number {
  const text = canonicalKey(key);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A canonical string for a key: equal keys (by value) give equal strings. */
export function canonicalKey(key: unknown): string {
  switch (typeof key) {
    case 'string':
      return `s${key}`;
    case 'number':
      return `n${Object.is(key, -0) ? 0 : key}`;
    case 'bigint':
      return `b${key}`;
    case 'boolean':
      return key ? 't' : 'f';
    case 'undefined':
      return 'u';
  }
  if (key === null) return 'z';
  if (Array.isArray(key)) return `[${key.map(canonicalKey).join(',')}]`;
  if (key instanceof Date) return `d${key.getTime()}`;
  if (ArrayBuffer.isView(key)) {
    return `v${Array.from(new Uint8Array(key.buffer, key.byteOffset, key.byteLength)).join('.')}`;
  }
  const record = key as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalKey(record[k])}`)
    .join(',')}}`;
}
