import { conversationService } from '../../src-main/services/conversations';
import { percentile, sample, type Scenario } from '../harness';
import { conversations, ingest, tempStore } from './fixtures';

/** Open a conversation: the newest 50 of 10k messages, as the desk asks for them. */
export const openConversationScenario: Scenario = {
  name: 'open-conversation',
  what: 'newest 50 of a 10k-message conversation through the conversation service (p95)',
  unit: 'ms',
  better: 'lower',
  target: 100,
  async run({ quick }) {
    const t = tempStore();
    try {
      const [id, other] = conversations(t.store, 2);
      ingest(t.store, [id!], 10_000);
      ingest(t.store, [other!], 2_000, { from: 10_000 });
      const service = conversationService(t.store, Date.now);
      const runs = quick ? 100 : 500;
      const ours = await sample(() => service.page(id!, 50), runs);
      const bareQuery = t.store.db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT 50');
      const bare = await sample(() => bareQuery.all(id), runs);
      return {
        value: percentile(ours, 95),
        baseline: { label: 'bare SELECT LIMIT 50', value: percentile(bare, 95) },
        details: { medianMs: percentile(ours, 50), runs },
      };
    } finally {
      t.dispose();
    }
  },
};

/** The agent flips between two long conversations: each switch reads the newest page of the other. */
export const switchConversationsScenario: Scenario = {
  name: 'switch-conversations-10k',
  what: 'alternate between two 10k-message conversations, newest 50 each time (p95)',
  unit: 'ms',
  better: 'lower',
  target: 100,
  async run({ quick }) {
    const t = tempStore();
    try {
      const [a, b] = conversations(t.store, 2);
      ingest(t.store, [a!, b!], 20_000);
      const service = conversationService(t.store, Date.now);
      let flip = false;
      const runs = quick ? 100 : 500;
      const ours = await sample(() => {
        flip = !flip;
        return service.page(flip ? a! : b!, 50);
      }, runs);
      const bareQuery = t.store.db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT 50');
      const bare = await sample(() => {
        flip = !flip;
        return bareQuery.all(flip ? a : b);
      }, runs);
      return {
        value: percentile(ours, 95),
        baseline: { label: 'bare SELECT LIMIT 50', value: percentile(bare, 95) },
        details: { medianMs: percentile(ours, 50), runs },
      };
    } finally {
      t.dispose();
    }
  },
};

/** One live message saved in its own transaction, as an agent's reply is. */
export const saveLiveMessageScenario: Scenario = {
  name: 'save-live-message',
  what: 'one agent reply stored in its own transaction (WAL, synchronous=FULL) with its aggregate and change row (p95)',
  unit: 'ms',
  better: 'lower',
  target: 2,
  async run({ quick }) {
    const t = tempStore();
    try {
      const [id] = conversations(t.store, 1);
      t.store.agents.insert({ id: 'bench-agent', nick: '压测', role: 'agent', state: 'online', created_at: 0 });
      const service = conversationService(t.store, Date.now);
      let n = 0;
      const runs = quick ? 300 : 2000;
      const ours = await sample(
        () => service.send({ id: `live-${n++}`, conversationId: id!, text: `亲，马上为您处理 ${n}` }, 'bench-agent'),
        runs,
      );
      t.store.db.exec('CREATE TABLE bare (id TEXT, text TEXT, at INTEGER)');
      const insert = t.store.db.prepare('INSERT INTO bare VALUES (?, ?, ?)');
      const one = t.store.db.transaction((i: number) => insert.run(`b-${i}`, 'x', i));
      let m = 0;
      const bare = await sample(() => one(m++), runs);
      return {
        value: percentile(ours, 95),
        baseline: { label: 'bare INSERT in a transaction', value: percentile(bare, 95) },
        details: { medianMs: percentile(ours, 50), runs },
      };
    } finally {
      t.dispose();
    }
  },
};
