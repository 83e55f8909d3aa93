import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { METHOD_NAMES } from '../../shared/contract/methods';
import { Core } from './core';
import { createHandlers } from './handlers';
import { createRouter, type Handlers } from './router';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ctx = { connection: 'test', agentId: 'a1', role: 'agent' as const };

describe('the contract router', () => {
  it('has a handler for every contract method and nothing else', () => {
    // The handler object is typed from the contract (a missing one fails to compile); check it at run time too.
    const handlers = createHandlers({} as Parameters<typeof createHandlers>[0]);
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('answers each contract method without an unknown_method error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-router-'));
    const core = new Core({ dataDir: dir, seedDemo: false, demoBuyers: { enabled: false } });
    for (const name of METHOD_NAMES) {
      const result = await core.call(name, {}, 'test');
      if (!result.ok) expect(result.error.code).not.toBe('unknown_method');
    }
    core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives a malformed argument a typed validation error naming the field', async () => {
    const handler = vi.fn();
    const dispatch = createRouter({ 'messages.page': handler } as unknown as Handlers, () => {});
    const result = await dispatch('messages.page', { conversationId: 'x', limit: 100000 }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_argument', details: [{ path: 'limit' }] } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses extra fields, so the renderer cannot smuggle arguments in', async () => {
    const dispatch = createRouter({} as Handlers, () => {});
    const result = await dispatch('messages.send', { id: 'm1', conversationId: 'c1', text: 'hi', agentId: 'boss' }, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('turns an AppError into its code and an unexpected error into internal, never a throw', async () => {
    const log = vi.fn();
    const dispatch = createRouter(
      {
        'customers.get': () => {
          throw new AppError('not_found', 'no such customer');
        },
        'stats.counts': () => {
          throw new TypeError('boom');
        },
      } as unknown as Handlers,
      log,
    );
    expect(await dispatch('customers.get', { customerId: 'c1' }, ctx)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await dispatch('stats.counts', {}, ctx)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'stats.counts failed' },
    });
    expect(log).toHaveBeenCalledOnce();
  });

  it('refuses a method the contract does not declare', async () => {
    const dispatch = createRouter({} as Handlers, () => {});
    expect(await dispatch('__proto__', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await dispatch('constructor', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });
});
