/**
 * Answers the core hands, as one object, to many callers at once (a pull page at one head, asked for
 * by every desk a poke woke): marked here, so a socket layer in the same thread encodes each once
 * and sends the same bytes to every caller. A marked value must never change after it is marked.
 * Identity does not cross a worker's postMessage: there each answer is its own copy, encoded as usual.
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
