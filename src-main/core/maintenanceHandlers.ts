import { AppError } from '../../shared/contract/errors';
import { requireRole } from '../../shared/domain/policy';
import type { Shop } from '../../shared/domain/types';
import { seedMessageHistory } from '../services/demo/seedHistory';
import { seedDemoShop } from '../services/demo/seedDemo';
import type { Store } from '../store';
import { backupOnline, DEFAULT_BACKUPS_KEPT } from '../store/backups';
import type { Handlers } from './router';

type MaintenanceMethod = 'demo.seedShop' | 'demo.seedHistory' | 'backups.create';

type Deps = { store: Store; dataDir: string; now: () => number; keepBackups?: number | undefined; nativeBinding?: string | undefined };

/** The shop-wide work the CLI does for an owner (seed-demo, backups create), behind the policy like any call. */
export function createMaintenanceHandlers({ store, dataDir, now, keepBackups, nativeBinding }: Deps): Pick<Handlers, MaintenanceMethod> {
  return {
    'demo.seedShop': (_args, ctx) => {
      requireRole(ctx, 'seedDemoData');
      return { seeded: seedDemoShop(store, { now: now() }) };
    },
    'demo.seedHistory': ({ messages, seed }, ctx) => {
      requireRole(ctx, 'seedDemoData');
      // The history's conversations are the demo agents' and its buyers take the demo's tags and groups.
      if (!store.settings.get<Shop | null>('shop', null) || !store.agents.list().some((a) => a.role !== 'owner')) {
        throw new AppError('conflict', 'the store holds no demo shop with agents: seed the demo shop first');
      }
      return seedMessageHistory(store, { messages, now: now(), ...(seed === undefined ? {} : { seed }) });
    },
    'backups.create': async (_args, ctx) => {
      requireRole(ctx, 'takeBackups');
      const made = await backupOnline(store.db, dataDir, {
        reason: 'manual',
        keep: keepBackups ?? DEFAULT_BACKUPS_KEPT,
        now: now(),
        nativeBinding,
      });
      return { name: made.name, at: made.at, bytes: made.bytes, reason: made.reason };
    },
  };
}
