/**
 * The browser-mode WebSocket's own vocabulary, shared by the host (src-main/host) and the renderer's
 * transport (src-renderer/ipc/client.ts). Messages: `{type:'call', id, method, args}` →
 * `{type:'result', id, result}`; `{type:'event', name, payload}`; and `{type:'refused', error}` for a
 * frame the host could not read as a call (no id to answer to).
 */

/** Close codes the host uses; the renderer tells them apart (1000–2999 are the protocol's, 4000–4999 ours). */
export const SOCKET_CLOSE = {
  /** The transport is paused (the offline demo, tests) or the host has too many desks: try again later. */
  tryLater: 1013,
  /** The page's launch token is not this host's: its address is out of date. Retrying cannot help. */
  tokenRefused: 4401,
} as const;

/** Room for a 20 MB import file as base64 (about 28 MB) in one call, with its envelope. */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

/** Arguments nest no deeper than this (the contract's deepest is a handful of levels). */
export const MAX_ARGS_DEPTH = 64;
