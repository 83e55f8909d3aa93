import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../core/core';
import { restoreShadows, rowsWrittenBy, runShadowed, type RebaseDeps } from './rebase';

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function shop() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiedai-rebase-'));
  dirs.push(dir);
  const core = new Core({ dataDir: dir, demoBuyers: { enabled: false }, log: () => undefined });
  cores.push(core);
  const c = core.store.conversations.list('open', new Map())[0]!;
  const deps: RebaseDeps = { store: core.store, events: core.events, runEntry: () => undefined, owner: () => '', now: () => 1 };
  return { core, c, deps };
}

describe('tier-2 rebase on SQLite', () => {
  it('learns the rows an action writes by a dry run that leaves no trace: no rows, no feed, no events', () => {
    const { core, c } = shop();
    const head = core.store.changes.head();
    const remark = core.store.customers.get(c.customerId)!.remark;
    const heard: string[] = [];
    core.on((name) => heard.push(name));
    const touched = core.store.tx(() =>
      rowsWrittenBy(core.store, core.events, () => core.store.customers.setRemark(c.customerId, '试写', 2)),
    );
    expect(touched).toContainEqual({ entity: 'customer', id: c.customerId });
    expect(core.store.customers.get(c.customerId)!.remark).toBe(remark);
    expect(core.store.changes.head()).toBe(head);
    expect(heard).toEqual([]);
  });

  it('keeps the first shadow of a row (its hub value) however many actions touch it, and restores it', () => {
    const { core, c, deps } = shop();
    const remark = core.store.customers.get(c.customerId)!.remark;
    core.store.tx(() => runShadowed(deps, () => core.store.customers.setRemark(c.customerId, '一', 2)));
    core.store.tx(() => runShadowed(deps, () => core.store.customers.setRemark(c.customerId, '二', 3)));
    expect(core.store.customers.get(c.customerId)!.remark).toBe('二');
    expect(core.store.hubOutbox.shadows()).toEqual([{ entity: 'customer', id: c.customerId, row: expect.objectContaining({ remark }) }]);
    const head = core.store.changes.head();
    core.store.tx(() => restoreShadows(deps));
    expect(core.store.customers.get(c.customerId)!.remark).toBe(remark);
    expect(core.store.hubOutbox.shadows()).toEqual([]);
    // The renderer follows the restore like any write.
    expect(core.store.changes.page(head, 10).map((x) => x.entity)).toContain('customer');
  });

  it('a new row an action made is shadowed as absent, and goes when restored', () => {
    const { core, c, deps } = shop();
    core.store.tx(() =>
      runShadowed(deps, () =>
        core.store.messages.insert({
          id: 'local-1',
          conversation_id: c.id,
          sender: 'agent',
          agent_id: null,
          kind: 'text',
          text: '本地',
          order_id: null,
          created_at: 5,
        }),
      ),
    );
    expect(core.store.hubOutbox.shadows()).toEqual([{ entity: 'message', id: 'local-1', row: null }]);
    core.store.tx(() => restoreShadows(deps));
    expect(core.store.messages.get('local-1')).toBeUndefined();
  });
});
