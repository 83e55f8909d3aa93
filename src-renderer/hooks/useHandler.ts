import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * An event handler that keeps one identity for the component's life and always runs the newest
 * render's code (what it reads is that render's). For handlers that read data which changes all day
 * (the conversation list), in a component that lives all day (the desk).
 *
 * Why not `useCallback(fn, deps)`: V8 gives all the closures one call of a component creates one
 * shared context, holding every local any of them reads. A memoized callback kept from an older
 * render keeps that render's context, with that render's data and the callbacks memoized before it,
 * which keep theirs: two callbacks whose deps change at different times (结束 on each list change,
 * its undo on each end) chain every render's conversation list, one link per end, for as long as the
 * desk is open (issue 18: +1 MB a round in desk-memory-200-shift). The function returned here is made
 * outside the component's scope and holds only a ref, so no render's context outlives the next one.
 *
 * Not for use during render (the newest code is installed in the commit, as a layout effect).
 */
export function useHandler<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  const [handler] = useState(() => callThrough(latest));
  return handler;
}

/** Made at module level: its closure holds the ref and nothing of the render that asked for it. */
function callThrough<A extends unknown[], R>(latest: RefObject<(...args: A) => R>): (...args: A) => R {
  return (...args) => latest.current(...args);
}
