import { describe, expect, it } from 'vitest';
import { externalLinkTarget, mayGrantPermission, mayNavigate } from './navigation';

describe('mayNavigate', () => {
  it('lets the window move between desk pages only', () => {
    expect(mayNavigate('jiedai://app/index.html')).toBe(true);
    expect(mayNavigate('https://shop.example.com/')).toBe(false);
    expect(mayNavigate('file:///etc/passwd')).toBe(false);
    expect(mayNavigate('javascript:alert(1)')).toBe(false);
  });
});

describe('externalLinkTarget', () => {
  it('sends http and https links to the system browser', () => {
    expect(externalLinkTarget('https://item.taobao.com/item.htm?id=1')).toBe('https://item.taobao.com/item.htm?id=1');
    expect(externalLinkTarget('http://example.com')).toBe('http://example.com/');
  });

  it('drops every other scheme and links with credentials', () => {
    for (const url of [
      'file:///C:/Windows/system32/calc.exe',
      'smb://host/share',
      'javascript:alert(1)',
      'jiedai://app/',
      'ms-msdt:/id',
      'https://user:pw@example.com/',
      'nonsense',
    ]) {
      expect(externalLinkTarget(url), url).toBeNull();
    }
  });
});

describe('mayGrantPermission', () => {
  it('grants clipboard writing and notifications to the desk only', () => {
    expect(mayGrantPermission('notifications', 'jiedai://app')).toBe(true);
    expect(mayGrantPermission('notifications', 'https://evil.example')).toBe(false);
    expect(mayGrantPermission('clipboard-sanitized-write', 'jiedai://app')).toBe(true);
    expect(mayGrantPermission('clipboard-sanitized-write', 'jiedai://app/index.html')).toBe(true);
    expect(mayGrantPermission('clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });

  it('denies everything else, even to the desk', () => {
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'unknown']) {
      expect(mayGrantPermission(permission, 'jiedai://app'), permission).toBe(false);
    }
  });
});
