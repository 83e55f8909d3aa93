import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// jsdom does not lay out or scroll; the virtual lists only need these to exist.
for (const name of ['scrollBy', 'scrollTo', 'scrollIntoView'] as const) {
  if (typeof Element.prototype[name] !== 'function') Object.defineProperty(Element.prototype, name, { value: () => undefined, writable: true });
}

afterEach(() => cleanup());
