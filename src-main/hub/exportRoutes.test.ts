import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExportJob } from '../../shared/contract/logExport';
import { newId } from '../../shared/domain/ids';
import { addCustomerWithConversation } from '../store/testing';
import { AGENT, desk, hubFixture } from './testing/hubKit';

let fixture: Awaited<ReturnType<typeof hubFixture>> | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const LEAD = { id: 'lead1', nick: '阿强', password: 'lead-pass-12' };
const filters = { from: '2023-11-01', to: '2023-11-30' };

/** A hub with a few messages, a supervisor besides the agent, and a finished CSV export by the owner. */
async function hubWithExport() {
  fixture = await hubFixture();
  const f = fixture;
  const { conversationId } = addCustomerWithConversation(f.core.store, '买家甲');
  f.core.store.tx(() => {
    for (let i = 0; i < 30; i++) {
      f.core.store.messages.insert({
        id: newId(),
        conversation_id: conversationId,
        sender: 'buyer',
        agent_id: null,
        kind: 'text',
        text: `消息 ${i}`,
        order_id: null,
        created_at: 1_700_000_000_000 + i * 1000,
      });
    }
  });
  expect(await f.ownerDesk.call('accounts.create', { ...LEAD, role: 'supervisor' })).toMatchObject({ ok: true });
  const started = await f.ownerDesk.call('logExport.start', { filters, format: 'csv' });
  expect(started).toMatchObject({ ok: true });
  const { jobId, path: file } = (started as { ok: true; value: { jobId: string; path: string } }).value;
  await expect
    .poll(async () => ((await f.ownerDesk.call('logExport.list', {})) as { value: ExportJob[] }).value[0]?.status, { timeout: 30_000 })
    .toBe('done');
  const get = (token: string | null, id = jobId) =>
    fetch(`${f.base}/api/exports/${id}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { f, jobId, file, get };
}

describe('GET /api/exports/:jobId (a desk fetches the export it ran on the hub)', () => {
  it('streams the file to the job’s creator once, then it is gone from the hub', async () => {
    const { f, file, get } = await hubWithExport();
    expect(path.basename(path.dirname(file))).toBe('exports');
    const onDisk = fs.readFileSync(file);
    const r = await get(f.owner.token);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/octet-stream');
    expect(Number(r.headers.get('content-length'))).toBe(onDisk.length);
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; /);
    expect(Buffer.from(await r.arrayBuffer()).equals(onDisk)).toBe(true);
    expect(onDisk.toString('utf8')).toContain('消息 29');
    await expect.poll(() => fs.existsSync(file), { timeout: 10_000 }).toBe(false);
    const again = await get(f.owner.token);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses no token, a bad token, another account’s job, an agent, and a malformed id, each with a typed body', async () => {
    const { f, file, get, jobId } = await hubWithExport();
    const none = await get(null);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const bad = await get('not-a-session-token');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // A supervisor may export, but not fetch the owner's job: as if it did not exist.
    const lead = await f.login(LEAD.nick, LEAD.password);
    const other = await get(lead.token);
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // An agent may not export at all (its stored role, whatever it claims).
    const agent = await f.login(AGENT.nick, AGENT.password);
    const refused = await get(agent.token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('export') } });
    const malformed = await get(f.owner.token, 'bad%20id');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    // None of that spent the file.
    expect(fs.existsSync(file)).toBe(true);
    // The supervisor's own list and cancel do not reach the owner's job either.
    const leadDesk = await desk(f.hub, lead.token);
    expect(await leadDesk.call('logExport.list', {})).toEqual({ ok: true, value: [] });
    expect(await leadDesk.call('logExport.cancel', { jobId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    leadDesk.ws.close();
    await leadDesk.closed;
    const r = await get(f.owner.token);
    expect(r.status).toBe(200);
    expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });
});
