import type { ContractError } from '../../shared/contract/errors';
import { MAX_ARGS_DEPTH } from '../../shared/contract/socket';

export type CallFrame = { kind: 'call'; id: number; method: string; args: unknown };
export type RefusedFrame = { kind: 'refused'; id: number | null; error: ContractError };

const MAX_METHOD_LENGTH = 100;
/** Keys that change an object's prototype when code merges parsed input into another object. */
const POISON_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const refuse = (id: number | null, message: string): RefusedFrame => ({
  kind: 'refused',
  id,
  error: { code: 'invalid_argument', message },
});

/**
 * Why a parsed value may not go on to the core, or null. Walks with its own stack (never
 * recursion, so no depth can overflow it) and stops at the first nesting past `maxDepth`: a value
 * that deep would overflow `postMessage`'s structured clone, or the validators, further on.
 */
export function unsafeValue(value: unknown, maxDepth = MAX_ARGS_DEPTH): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= maxDepth) return `arguments nest deeper than ${maxDepth} levels`;
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, depth + 1]);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (POISON_KEYS.has(key)) return `a key named ${key} is not accepted`;
      stack.push([(node as Record<string, unknown>)[key], depth + 1]);
    }
  }
  return null;
}

/**
 * Reads one WebSocket frame as a contract call, or says why not. Every frame a desk can send ends
 * here: binary, not JSON, not an object, an unknown type, a bad id or method, or arguments too deep
 * or carrying prototype keys are refused with a typed error (answered by id when one was readable).
 * The size is bounded before this, by the socket's maxPayload.
 */
export function readFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): CallFrame | RefusedFrame {
  if (isBinary) return refuse(null, 'binary frames are not accepted: send the contract as JSON text');
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return refuse(null, 'the frame is not JSON');
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return refuse(null, 'the frame is not a JSON object');
  const { type, id, method, args } = message as Record<string, unknown>;
  const goodId = typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
  if (type !== 'call') return refuse(goodId, `unknown frame type ${JSON.stringify(type)?.slice(0, 40) ?? 'undefined'}`);
  if (goodId === null) return refuse(null, 'a call needs a whole, non-negative number as its id');
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH)
    return refuse(goodId, 'a call needs a method name');
  const unsafe = unsafeValue(args);
  if (unsafe) return refuse(goodId, unsafe);
  return { kind: 'call', id: goodId, method, args };
}
