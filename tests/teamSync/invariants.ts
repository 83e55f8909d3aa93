import type { MutationName } from '../../shared/sync/mutations';
import type { Core } from '../../src-main/core/core';
import type { Store } from '../../src-main/store';
import { readTeamConfig } from '../../src-main/teamSync/teamSettings';
import { storeDiff } from './compareStores';

/** An action the desk's renderer saw applied (tier 1): it must reach the hub once. */
export type Ack = { mutationId: string; name: MutationName; args: Record<string, unknown> };

export type DrainedDesk = { label: string; core: Core; acks: Ack[]; cursors: number[] };

/**
 * The invariants of tier 2 after a drain (every outbox empty, every cursor at the hub's head), read
 * from the hub's store and each desk's: both files clean (integrity, foreign keys); every
 * acknowledged action recorded on the hub exactly once, none that was not, in the desk's order;
 * each desk's own record of it agreeing with the hub's verdict; one copy of each applied reply;
 * cursors never went back; no shadow left; each desk's shared tables equal to the hub's.
 */
export function drainedProblems(hub: Store, desks: DrainedDesk[]): string[] {
  const problems: string[] = [];
  for (const [what, store] of [['hub', hub] as const, ...desks.map((d) => [d.label, d.core.store] as const)]) {
    const integrity = store.db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`${what}: integrity_check ${String(integrity)}`);
    const fk = store.db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`${what}: foreign_key_check ${JSON.stringify(fk).slice(0, 300)}`);
  }
  const copiesOf = hub.db.prepare('SELECT count(*) FROM messages WHERE text = ?').pluck();
  for (const d of desks) {
    const config = readTeamConfig(d.core.store)!;
    const records = hub.mutations.ofClient(config.clientId).sort((a, b) => a.seq - b.seq);
    const recorded = records.map((r) => r.mutationId);
    const acked = d.acks.map((a) => a.mutationId);
    if (JSON.stringify(recorded) !== JSON.stringify(acked)) {
      const missing = acked.filter((id) => !recorded.includes(id));
      const extra = recorded.filter((id) => !acked.includes(id));
      problems.push(
        missing.length + extra.length === 0
          ? `${d.label}: the hub applied its actions out of order`
          : `${d.label}: ${missing.length} acknowledged actions are not on the hub, ${extra.length} recorded there were never made`,
      );
    }
    const byId = new Map(records.map((r) => [r.mutationId, r]));
    for (const ack of d.acks) {
      const onHub = byId.get(ack.mutationId);
      // What the desk's renderer was finally told matches what the hub decided.
      const local = d.core.store.mutations.get(ack.mutationId);
      if (onHub && local?.status !== onHub.status)
        problems.push(`${d.label}: ${ack.name} ${ack.mutationId} is ${onHub.status} on the hub, ${String(local?.status)} on the desk`);
      if (ack.name === 'messages.send') {
        const copies = copiesOf.get(ack.args.text) as number;
        if (copies !== (onHub?.status === 'applied' ? 1 : 0))
          problems.push(`message ${String(ack.args.id)}: ${copies} copies on the hub (${onHub?.status})`);
      }
    }
    for (let i = 1; i < d.cursors.length; i++) {
      if (d.cursors[i]! < d.cursors[i - 1]!) {
        problems.push(`${d.label}: the cursor went back from ${d.cursors[i - 1]} to ${d.cursors[i]}`);
        break;
      }
    }
    if (d.core.store.hubOutbox.shadows().length > 0) problems.push(`${d.label}: shadows left after the drain`);
    problems.push(...storeDiff(hub, d.core.store, config.agentId).map((p) => `${d.label}: ${p}`));
  }
  return problems;
}
