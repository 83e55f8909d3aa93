import '@testing-library/jest-dom/vitest';
import 'fake-indexeddb/auto';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { closeShops } from './testShop';

// jsdom does not lay out or scroll; the virtual lists only need these to exist.
for (const name of ['scrollBy', 'scrollTo', 'scrollIntoView'] as const) {
  if (typeof Element.prototype[name] !== 'function') Object.defineProperty(Element.prototype, name, { value: () => undefined, writable: true });
}

// The desk reads through the replica (IndexedDB, here fake-indexeddb): a few more asynchronous hops
// than a direct call, which a loaded machine running test files side by side can stretch past 1 s.
configure({ asyncUtilTimeout: 4000 });

// The desks unmount first, then their shops' cores close.
afterEach(() => {
  cleanup();
  closeShops();
});
