import { describe, expect, it } from 'vitest';
import { isAppUrl } from './appOrigin';
import { isTrustedSender, type FrameIdentity } from './senderCheck';

const desk: FrameIdentity = { url: 'jiedai://app/index.html', processId: 7, routingId: 1, isTop: true };

describe('isAppUrl', () => {
  it('accepts the desk pages and nothing that merely looks like them', () => {
    expect(isAppUrl('jiedai://app/index.html')).toBe(true);
    expect(isAppUrl('jiedai://app')).toBe(true);
    for (const url of [
      'jiedai://app.evil.com/index.html',
      'jiedai://evil/app/index.html',
      'jiedai://app:8080/index.html',
      'jiedai://user@app/index.html',
      'https://app/index.html',
      'file:///app/index.html',
      'about:blank',
      '',
      'not a url',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});

describe('isTrustedSender', () => {
  it('trusts the desk window top frame showing the desk', () => {
    expect(isTrustedSender({ ...desk, url: 'jiedai://app/index.html#/conversations' }, desk)).toBe(true);
  });

  it('refuses a subframe, even in the same process', () => {
    expect(isTrustedSender({ ...desk, isTop: false, routingId: 2 }, desk)).toBe(false);
    expect(isTrustedSender({ ...desk, isTop: false }, desk)).toBe(false);
  });

  it('refuses another frame or process', () => {
    expect(isTrustedSender({ ...desk, processId: 8 }, desk)).toBe(false);
    expect(isTrustedSender({ ...desk, routingId: 3 }, desk)).toBe(false);
  });

  it('refuses the desk frame once it shows another page', () => {
    expect(isTrustedSender({ ...desk, url: 'https://example.com/' }, desk)).toBe(false);
  });

  it('refuses when either frame is unknown (navigated away or destroyed)', () => {
    expect(isTrustedSender(null, desk)).toBe(false);
    expect(isTrustedSender(desk, null)).toBe(false);
  });
});
