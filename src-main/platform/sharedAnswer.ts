/**
 * Answers the core hands, as one object, to many callers at once (a pull page at one head, asked for
 * by every desk a poke woke): marked here, so a socket layer in the same thread encodes each once
 * and sends the same bytes to every caller. A marked value must never change after it is marked.
 * Identity does not cross a worker's postMessage by itself: the core's worker sends a marked answer's
 * JSON once and names it by a key after that (`sharedChannel` below), so the shell's sockets still
 * share one object and one encoding.
 */
const encoded = new WeakMap<object, string | null>();

export function markShared<T extends object>(value: T): T {
  if (!encoded.has(value)) encoded.set(value, null);
  return value;
}

/** The JSON of a marked value, encoded at its first use; undefined for any other value. */
export function sharedJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const known = encoded.get(value);
  if (known === undefined) return undefined;
  if (known !== null) return known;
  const text = JSON.stringify(value);
  encoded.set(value, text);
  return text;
}

const utf8 = new WeakMap<object, Buffer>();

/**
 * The UTF-8 bytes of a marked value's JSON, encoded once for every socket that sends it (a string
 * given to a socket is measured and encoded again for each one); undefined for any other value.
 */
export function sharedUtf8(value: unknown): Buffer | undefined {
  const json = sharedJson(value);
  if (json === undefined) return undefined;
  const object = value as object;
  let bytes = utf8.get(object);
  if (!bytes) {
    bytes = Buffer.from(json, 'utf8');
    utf8.set(object, bytes);
  }
  return bytes;
}

/** A value decoded from its JSON, marked with that JSON (the socket layer sends it without encoding it again). */
export function sharedFromJson(json: string): unknown {
  const value: unknown = JSON.parse(json);
  if (typeof value === 'object' && value !== null) encoded.set(value, json);
  return value;
}

/** How many shared answers both sides of a worker keep by key (a few pages at successive heads). */
export const SHARED_KEPT = 16;

/**
 * The two ends of a worker's shared answers. The sending side (`send`) gives each marked value a key
 * the first time and its JSON with it; afterwards just the key. The receiving side (`receive`) keeps
 * the values by key. Both keep the newest `kept` keys with the same first-in-first-out rule, and the
 * messages arrive in the order they were sent, so the receiver always holds a key the sender names
 * without its JSON.
 */
export function sharedSender(kept = SHARED_KEPT) {
  const keys = new WeakMap<object, number>();
  const live: number[] = [];
  let next = 1;
  return (value: unknown): { key: number; json?: string } | undefined => {
    const json = sharedJson(value);
    if (json === undefined) return undefined;
    const known = keys.get(value as object);
    if (known !== undefined && live.includes(known)) return { key: known };
    const key = next++;
    keys.set(value as object, key);
    live.push(key);
    if (live.length > kept) live.shift();
    return { key, json };
  };
}

export function sharedReceiver(kept = SHARED_KEPT) {
  const values = new Map<number, unknown>();
  return (shared: { key: number; json?: string }): unknown => {
    if (shared.json !== undefined) {
      values.set(shared.key, sharedFromJson(shared.json));
      if (values.size > kept) values.delete(values.keys().next().value!);
    }
    if (!values.has(shared.key)) throw new Error(`shared answer ${shared.key} is not known here`);
    return values.get(shared.key);
  };
}
