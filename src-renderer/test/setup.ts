import '@testing-library/jest-dom/vitest';
import 'fake-indexeddb/auto';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { closeShops } from './testShop';

// jsdom does not lay out or scroll; the virtual lists only need these to exist.
for (const name of ['scrollBy', 'scrollTo', 'scrollIntoView'] as const) {
  if (typeof Element.prototype[name] !== 'function')
    Object.defineProperty(Element.prototype, name, { value: () => undefined, writable: true });
}

// The desk reads through the replica (IndexedDB, here fake-indexeddb) over a real core: what an agent
// waits for (the list filling, a bubble settling) takes a few asynchronous hops, which a loaded
// machine running test files side by side stretches to seconds. findBy/waitFor fail with what they
// were waiting for; the limit is generous so that a slow machine is not mistaken for a broken desk.
configure({ asyncUtilTimeout: 10_000 });

// The desks unmount first, then their shops' cores close.
afterEach(() => {
  cleanup();
  closeShops();
});
