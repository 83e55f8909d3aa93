import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/contract/errors';
import type { ExportFinished, ExportJob, ExportProgress } from '../../shared/contract/logExport';
import { newId } from '../../shared/domain/ids';
import { Core } from '../../src-main/core/core';
import { AGENT, hubFixture } from '../../src-main/hub/testing/hubKit';
import { addCustomerWithConversation } from '../../src-main/store/testing';
import { wsHubLink } from '../../src-main/teamSync/wsHubLink';

/**
 * A team desk's chat-log export runs on the hub over the whole shop (issue 12): a real hub server
 * (hubFixture) and a desk core joined to it over /hub/ws, as in realHub.test.ts. The desk exports
 * messages it never downloaded (older than the bootstrap's newest page) and gets the file where its
 * shell asked, with the same events a standalone export gives.
 */

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const LEAD = { id: 'lead1', nick: '阿强', password: 'lead-pass-12' };
const filters = { from: '2023-11-01', to: '2023-11-30' };
const HISTORY = 120;

type Ok<T> = { ok: true; value: T };

async function team(as: { nick: string; password: string; role: 'agent' | 'supervisor' }) {
  const fixture = await hubFixture();
  cleanup.push(() => fixture.close());
  expect(await fixture.ownerDesk.call('accounts.create', { ...LEAD, role: 'supervisor' })).toMatchObject({ ok: true });
  // A long history in one conversation, all in November 2023 (Asia/Shanghai).
  const { conversationId } = addCustomerWithConversation(fixture.core.store, '老买家');
  fixture.core.store.tx(() => {
    for (let i = 0; i < HISTORY; i++) {
      fixture.core.store.messages.insert({
        id: newId(),
        conversation_id: conversationId,
        sender: 'buyer',
        agent_id: null,
        kind: 'text',
        text: `历史 ${i}`,
        order_id: null,
        created_at: 1_700_000_000_000 + i * 60_000,
      });
    }
  });
  const session = await fixture.login(as.nick, as.password);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-hub-export-desk-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const desk = new Core({
    dataDir: dir,
    seedDemo: false,
    watchOtherWritersMs: false,
    log: () => undefined,
    hubLink: (config) => wsHubLink(config, { reconnectBaseMs: 20, reconnectMaxMs: 200, log: () => undefined }),
    team: { retryBaseMs: 5, retryMaxMs: 50, pollMs: 0, log: () => undefined },
    teamExport: { pollMs: 50, lostAfterMs: 2_000, log: () => undefined },
  });
  cleanup.push(() => desk.close());
  desk.joinTeam({
    hubUrl: fixture.base,
    token: session.token,
    agent: { id: session.agent.id, nick: as.nick, role: as.role, state: 'online' },
  });
  await expect
    .poll(() => desk.teamSync!.status(), { timeout: 15_000, message: 'the desk did not bootstrap from the hub' })
    .toMatchObject({ ready: true, online: true });
  const heard = { progress: [] as ExportProgress[], finished: [] as ExportFinished[] };
  desk.on((name, payload) => {
    if (name === 'logExport.progress') heard.progress.push(payload as ExportProgress);
    if (name === 'logExport.finished') heard.finished.push(payload as ExportFinished);
  });
  const finished = (jobId: string) =>
    expect
      .poll(() => heard.finished.find((f) => f.jobId === jobId), { timeout: 30_000, message: 'the export did not finish' })
      .toBeDefined();
  const hubJobs = async () => ((await fixture.ownerDesk.call('logExport.list', {})) as Ok<ExportJob[]>).value;
  return { fixture, desk, dir, conversationId, heard, finished, hubJobs };
}

/** Data rows of a CSV export (the header aside). */
const rowsOf = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .slice(1);

describe('a team desk’s chat-log export runs on the hub', () => {
  it('exports the whole shop’s history, older than the desk holds, into the desk’s exports/ with the standalone events', async () => {
    const t = await team({ ...LEAD, role: 'supervisor' });
    const held = t.desk.store.db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck().get(t.conversationId);
    expect(held).toBe(50);

    const preview = (await t.desk.call('logExport.preview', filters, 'r')) as Ok<{ messages: number }>;
    expect(preview).toMatchObject({ ok: true, value: { messages: HISTORY } });

    const started = (await t.desk.call('logExport.start', { filters, format: 'csv', locale: 'zh-CN' }, 'r')) as Ok<{
      jobId: string;
      path: string;
    }>;
    expect(started.ok).toBe(true);
    const { jobId, path: file } = started.value;
    expect(path.dirname(file)).toBe(path.join(t.dir, 'exports'));
    await t.finished(jobId);
    const end = t.heard.finished.find((f) => f.jobId === jobId)!;
    expect(end).toMatchObject({ status: 'done', path: file, rows: HISTORY, bytes: fs.statSync(file).size });

    const rows = rowsOf(fs.readFileSync(file, 'utf8'));
    expect(rows).toHaveLength(HISTORY);
    // The oldest messages never came to this desk: the hub exported them.
    expect(rows[0]).toContain('历史 0');
    expect(t.desk.store.db.prepare("SELECT count(*) FROM messages WHERE text = '历史 0'").pluck().get()).toBe(0);
    expect(t.heard.progress.some((p) => p.jobId === jobId && p.total === HISTORY)).toBe(true);

    // The desk's own list has the job with its path here; browser mode's 下载 works on it.
    const list = (await t.desk.call('logExport.list', {}, 'r')) as Ok<ExportJob[]>;
    expect(list.value[0]).toMatchObject({ id: jobId, status: 'done', path: file });
    const ticket = (await t.desk.call('logExport.download', { jobId }, 'r')) as Ok<{ ticket: string }>;
    expect(t.desk.redeemDownload(ticket.value.ticket)?.path).toBe(fs.realpathSync(file));

    // On the hub the job was the supervisor's (not the owner's to see), and its file left once fetched.
    expect((await t.hubJobs()).some((j) => j.id === jobId)).toBe(false);
    const hubExports = path.join(t.fixture.dir, 'exports');
    await expect.poll(() => fs.readdirSync(hubExports), { timeout: 10_000 }).toEqual([]);
  });

  it('writes where the shell’s save dialog said, in the chosen format', async () => {
    const t = await team({ ...LEAD, role: 'supervisor' });
    const chosen = path.join(t.dir, 'chosen', '聊天记录.jsonl');
    fs.mkdirSync(path.dirname(chosen));
    const started = (await t.desk.call('logExport.start', { filters, format: 'jsonl', locale: 'en' }, 'electron', {
      exportDestination: { path: chosen, overwrite: false },
    })) as Ok<{ jobId: string; path: string }>;
    expect(started.value.path).toBe(chosen);
    await t.finished(started.value.jobId);
    const lines = fs.readFileSync(chosen, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(HISTORY);
    expect(JSON.parse(lines[HISTORY - 1]!)).toMatchObject({ text: `历史 ${HISTORY - 1}`, direction: 'buyer' });
    // No temporary file is left beside it.
    expect(fs.readdirSync(path.dirname(chosen))).toEqual(['聊天记录.jsonl']);
  });

  it('a cancel reaches the hub, and the desk keeps no file', async () => {
    const t = await team({ ...LEAD, role: 'supervisor' });
    const started = (await t.desk.call('logExport.start', { filters, format: 'xlsx', locale: 'zh-CN' }, 'r')) as Ok<{
      jobId: string;
      path: string;
    }>;
    const { jobId } = started.value;
    expect(await t.desk.call('logExport.cancel', { jobId }, 'r')).toEqual({ ok: true, value: { cancelled: true } });
    await t.finished(jobId);
    expect(t.heard.finished.find((f) => f.jobId === jobId)).toMatchObject({ status: 'cancelled' });
    // The hub's job (the supervisor's: read from the hub's store) stopped as cancelled.
    const onHub = () =>
      (t.fixture.core.store.settings.get<ExportJob[]>('exports.recent', []) as ExportJob[]).find((j) => j.id === jobId)?.status;
    await expect.poll(onHub, { timeout: 15_000 }).toBe('cancelled');
    expect(fs.existsSync(started.value.path)).toBe(false);
    expect(fs.readdirSync(path.join(t.dir, 'exports')).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('is authorised on the hub by the stored role: an agent’s desk that thinks it may export is refused there', async () => {
    const t = await team({ nick: AGENT.nick, password: AGENT.password, role: 'agent' });
    // The desk's own replica says otherwise (tampered with): the hub still decides by its own row.
    t.desk.store.db.prepare("UPDATE agents SET role = 'supervisor' WHERE id = ?").run(AGENT.id);
    expect(await t.desk.call('app.info', {}, 'r')).toMatchObject({ ok: true, value: { agent: { id: AGENT.id, role: 'supervisor' } } });
    const r = (await t.desk.call('logExport.start', { filters, format: 'csv', locale: 'zh-CN' }, 'r')) as Result<unknown>;
    expect(r).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('export') } });
    // No job anywhere: none in the hub's store, none in the desk's.
    const jobs = (store: typeof t.desk.store) => store.settings.get<ExportJob[]>('exports.recent', []);
    expect(jobs(t.fixture.core.store)).toEqual([]);
    expect(jobs(t.desk.store)).toEqual([]);
    // And the list shows none: empty, or refused (once the hub's feed has put the desk's agent row back
    // to what the hub stores, the desk itself says an agent may not list exports).
    const listed = (await t.desk.call('logExport.list', {}, 'r')) as Result<ExportJob[]>;
    if (listed.ok) expect(listed.value).toEqual([]);
    else expect(listed.error.code).toBe('unauthorized');
  });

  it('without the hub, says the export needs it; a hub lost mid-export fails the job with that sentence', async () => {
    const t = await team({ ...LEAD, role: 'supervisor' });
    const started = (await t.desk.call('logExport.start', { filters, format: 'csv', locale: 'en' }, 'r')) as Ok<{ jobId: string }>;
    await t.fixture.hub.close();
    await expect.poll(() => t.desk.teamSync!.status().online, { timeout: 15_000 }).toBe(false);
    await t.finished(started.value.jobId);
    const end = t.heard.finished.find((f) => f.jobId === started.value.jobId)!;
    // Either the hub finished before it went (and the fetch failed) or it was lost while running.
    expect(end.status).toBe('failed');
    expect(end.error).toMatch(/team hub/);
    for (const [method, args] of [
      ['logExport.start', { filters, format: 'csv', locale: 'en' }],
      ['logExport.preview', filters],
    ] as const) {
      const r = (await t.desk.call(method, args, 'r')) as Result<unknown>;
      expect(r).toMatchObject({ ok: false, error: { code: 'unavailable', details: { needsHub: true } } });
    }
    const r = (await t.desk.call('logExport.start', { filters, format: 'csv', locale: 'en' }, 'r')) as Result<unknown>;
    expect(r).toMatchObject({
      ok: false,
      error: { message: 'Chat logs are exported on the team hub, which cannot be reached now. Try again once it is connected.' },
    });
    expect(fs.readdirSync(path.join(t.dir, 'exports'))).toEqual([]);
  });
});
