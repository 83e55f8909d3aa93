import { beforeEach, expect } from 'vitest';

// A test that checks nothing cannot fail: every test must make at least one assertion (`expect`,
// `expect.poll`, a `waitFor` around an `expect`). Waiting without looking is not a test.
beforeEach(() => {
  expect.hasAssertions();
});
