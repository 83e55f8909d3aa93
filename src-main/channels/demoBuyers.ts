import type { ConversationService } from '../services/conversations';
import type { Store } from '../store';

export type DemoBuyersConfig = { enabled: boolean; intervalMs: number };
export type DemoBuyers = {
  config(): DemoBuyersConfig;
  configure(next: { enabled: boolean; intervalMs?: number }): DemoBuyersConfig;
  stop(): void;
};

/** PLACEHOLDER — being written: demo buyers who keep writing. */
export function startDemoBuyers(options: {
  store: Store;
  conversations: ConversationService;
  enabled: boolean;
  intervalMs: number;
  log: (message: string, error?: unknown) => void;
}): DemoBuyers {
  let config: DemoBuyersConfig = { enabled: options.enabled, intervalMs: options.intervalMs };
  return {
    config: () => config,
    configure: (next) => (config = { enabled: next.enabled, intervalMs: next.intervalMs ?? config.intervalMs }),
    stop: () => {},
  };
}
