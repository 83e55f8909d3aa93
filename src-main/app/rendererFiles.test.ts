import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, rendererReply } from './rendererFiles';

let base: string;
let renderer: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-protocol-'));
  renderer = path.join(base, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(renderer, 'assets', 'index-abc.js'), 'export {}');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'not for the page');
  fs.writeFileSync(path.join(base, 'renderer-evil.txt'), 'a sibling folder sharing the prefix');
  fs.symlinkSync('/etc/passwd', path.join(renderer, 'passwd'));
  fs.symlinkSync(base, path.join(renderer, 'up'));
  fs.symlinkSync(path.join(renderer, 'assets', 'index-abc.js'), path.join(renderer, 'alias.js'));
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('rendererReply', () => {
  it('serves the desk page with the strict Content-Security-Policy', () => {
    const reply = rendererReply(renderer, 'jiedai://app/index.html', 'GET');
    expect(reply.status).toBe(200);
    expect(reply.file).toBe(fs.realpathSync(path.join(renderer, 'index.html')));
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves scripts as JavaScript (module scripts need the right type) and the root as index.html', () => {
    expect(rendererReply(renderer, 'jiedai://app/assets/index-abc.js?v=1', 'GET').headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect(rendererReply(renderer, 'jiedai://app/', 'HEAD').file).toBe(fs.realpathSync(path.join(renderer, 'index.html')));
  });

  it('refuses every way out of the renderer folder', () => {
    for (const url of [
      'jiedai://app/../secret.txt',
      'jiedai://app/%2e%2e/secret.txt',
      'jiedai://app/..%2fsecret.txt',
      'jiedai://app/assets/..%2f..%2fsecret.txt',
      'jiedai://app/..%5csecret.txt',
      'jiedai://app/%2fetc%2fpasswd',
      'jiedai://app/../renderer-evil.txt',
      'jiedai://app/index.html%00.js',
      'jiedai://app/%E0%A4%A',
    ]) {
      const reply = rendererReply(renderer, url, 'GET');
      expect(reply.status, url).toBe(404);
      expect(reply.file, url).toBeUndefined();
    }
  });

  it('follows no symbolic link out of the renderer folder, in the jiedai:// scheme too', () => {
    for (const url of ['jiedai://app/passwd', 'jiedai://app/up/secret.txt']) {
      const reply = rendererReply(renderer, url, 'GET');
      expect(reply.status, url).toBe(404);
      expect(reply.file, url).toBeUndefined();
    }
    // a link that stays inside is served, by its real path
    expect(rendererReply(renderer, 'jiedai://app/alias.js', 'GET').file).toBe(
      fs.realpathSync(path.join(renderer, 'assets', 'index-abc.js')),
    );
  });

  it('answers only its own host and only reads', () => {
    expect(rendererReply(renderer, 'jiedai://other/index.html', 'GET').status).toBe(404);
    expect(rendererReply(renderer, 'jiedai://app/index.html', 'POST').status).toBe(405);
  });

  it('puts the policy on refusals too', () => {
    expect(rendererReply(renderer, 'jiedai://app/missing.js', 'GET').headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});
