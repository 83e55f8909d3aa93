import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT, hubFixture } from '../hub/testing/hubKit';
import { run } from './jiedai';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function folder() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-cli-team-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function capture(extra: { env?: Record<string, string>; prompt?: (q: string) => Promise<string | null> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const asked: string[] = [];
  const io = {
    out: (s: string) => out.push(s),
    err: (s: string) => err.push(s),
    env: extra.env ?? {},
    prompt: async (q: string) => {
      asked.push(q);
      return extra.prompt ? extra.prompt(q) : null;
    },
  };
  return { io, out, err, asked };
}

describe('jiedai join / team status / team leave', () => {
  it('joins with the password from JIEDAI_PASSWORD, downloads the shop, and says so; team status reads it back', async () => {
    const fixture = await hubFixture();
    cleanup.push(() => fixture.close());
    const dir = folder();
    const c = capture({ env: { JIEDAI_PASSWORD: AGENT.password } });
    const code = await run(['join', '--hub', fixture.base, '--account', AGENT.nick, '--data-dir', dir], c.io);
    expect(c.err).toEqual([]);
    expect(code).toBe(0);
    expect(c.out[0]).toBe(`已登录团队中心 ${fixture.base}，账号 ${AGENT.nick}。`);
    expect(c.out.at(-1)).toBe('店铺数据已下载：小店。打开接待即可开始工作。');
    expect(c.asked).toEqual([]);

    const s = capture();
    expect(await run(['team', 'status', '--json', '--data-dir', dir], s.io)).toBe(0);
    expect(JSON.parse(s.out[0]!)).toMatchObject({
      mode: 'team',
      hubUrl: fixture.base,
      account: { nick: AGENT.nick },
      pending: 0,
      bootstrap: { ready: true },
      syncing: false,
    });
    const words = capture();
    expect(await run(['team', 'status', '--lang', 'en', '--data-dir', dir], words.io)).toBe(0);
    expect(words.out).toContain(`Team hub: ${fixture.base}`);
    expect(words.out).toContain(`Account: ${AGENT.nick} (agent)`);
    expect(words.out).toContain('The CLI does not talk to the hub; the app does the syncing.');

    const left = capture();
    expect(await run(['team', 'leave', '--data-dir', dir], left.io)).toBe(0);
    expect(left.out).toEqual(['已退出团队，这台电脑回到单机的示例店铺。']);
    const after = capture();
    expect(await run(['team', 'status', '--data-dir', dir], after.io)).toBe(0);
    expect(after.out).toEqual(['单机：示例店铺，没有连接团队中心。']);
  });

  it('asks for the password on a terminal; a wrong one is said in words and exits 1', async () => {
    const fixture = await hubFixture();
    cleanup.push(() => fixture.close());
    const dir = folder();
    const c = capture({ prompt: async () => 'not-the-password' });
    expect(await run(['join', '--hub', fixture.base, '--account', AGENT.nick, '--data-dir', dir], c.io)).toBe(1);
    expect(c.asked).toEqual([`${AGENT.nick} 的密码：`]);
    expect(c.err).toEqual(['jiedai: 账号或密码不对（也可能是这个账号已被店主停用）。']);
    const s = capture();
    await run(['team', 'status', '--json', '--data-dir', dir], s.io);
    expect(JSON.parse(s.out[0]!)).toMatchObject({ mode: 'standalone' });
  });

  it('never takes the password as an argument, and without a terminal or JIEDAI_PASSWORD it says where to give it', async () => {
    const dir = folder();
    const asArg = capture();
    expect(await run(['join', '--hub', 'http://127.0.0.1:1', '--account', 'a', '--password', 'x', '--data-dir', dir], asArg.io)).toBe(2);
    const none = capture();
    expect(await run(['join', '--hub', 'http://127.0.0.1:1', '--account', 'a', '--data-dir', dir], none.io)).toBe(2);
    expect(none.err[0]).toContain('JIEDAI_PASSWORD');
    const bad = capture({ env: { JIEDAI_PASSWORD: 'x' } });
    expect(await run(['join', '--hub', 'ftp://hub', '--account', 'a', '--lang', 'en', '--data-dir', dir], bad.io)).toBe(2);
    expect(bad.err[0]).toMatch(/^jiedai: That is not a hub address/);
  });

  it('team leave --wait takes whole seconds up to an hour; on a standalone folder it says there is no team to leave', async () => {
    const dir = folder();
    for (const wait of ['x', '1.5', '3601']) {
      const c = capture();
      expect(await run(['team', 'leave', '--wait', wait, '--data-dir', dir], c.io)).toBe(2);
      expect(c.err[0]).toContain('--wait takes 0 to 3600 seconds');
    }
    const c = capture();
    expect(await run(['team', 'leave', '--wait', '1', '--data-dir', dir], c.io)).toBe(1);
    expect(c.err).toEqual(['jiedai: 这台电脑没有连接团队中心。']);
  });
});
