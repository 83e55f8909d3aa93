import type { AppInfo } from '../../shared/contract/methods';
import type { DemoBuyers } from '../channels/demoBuyers';
import type { ConversationService } from '../services/conversations';
import type { ExportService } from '../services/logExport/exportService';
import type { Store } from '../store';
import type { CustomerService } from '../services/customers';
import type { Clock } from '../services/conversations';
import { createDeskHandlers } from './deskHandlers';
import { createLogExportHandlers } from './logExportHandlers';
import { createMaintenanceHandlers } from './maintenanceHandlers';
import { readyRecoveryHandlers } from './recoveryHandlers';
import { createSyncHandlers } from './syncHandlers';
import { createAccountHandlers, type AccountDeps } from './accountHandlers';
import type { CallContext, Handlers } from './router';
import { createSearchHandlers } from './searchHandlers';
import { createRedLineHandlers } from './redLineHandlers';
import { createReportHandlers } from './reportHandlers';
import type { ReportService } from '../services/reports/reportService';
import type { Result } from '../../shared/contract/errors';
import { redLineService } from '../services/redLines';
import type { SyncService } from '../services/sync';
import { createTeamHandlers, type TeamDeps } from './teamHandlers';
import type { HubExport } from '../teamSync/hubExport';
import type { RoutingService } from '../services/routing';
import type { ChannelService } from '../services/channels';
import { createChannelHandlers } from './channelHandlers';
import type { ParsePhraseFile } from '../services/phrases/files/parsePhraseFile';
import type { AutomationService } from '../services/automation';
import { createAutomationHandlers } from './automationHandlers';
import type { MessageImageService } from '../services/messageImages';
import type { PersonalService } from '../services/personal';
import { createPersonalHandlers } from './personalHandlers';
import { productCardText } from '../../shared/domain/productCard';

type Deps = {
  store: Store;
  now: Clock;
  conversations: ConversationService;
  routing: RoutingService;
  customers: CustomerService;
  demo: DemoBuyers;
  logExport: ExportService;
  sync: SyncService;
  dataDir: string;
  keepBackups?: number | undefined;
  nativeBinding?: string | undefined;
  /** The shop, the app, and this agent. */
  info: (agentId: string) => AppInfo;
  /** Who sits at the desk on this connection: the demo offers the shop's accounts; a real login would set it. */
  switchAgent: (connection: string, agentId: string) => AppInfo;
  /** On a hub: refuses a sync client id that belongs to another account's desk. */
  ownClient?: (clientId: string, ctx: CallContext) => void;
  /** Opens a folder in the file manager (default: the desktop's own; tests record it instead). */
  reveal?: ((folder: string) => Promise<boolean>) | undefined;
  /** On a hub: each account sees and fetches only the chat-log exports it started. */
  ownJobs?: boolean;
  /** On a desk of a team: the chat-log export runs on the hub (null: a standalone desk, or no hub link). */
  hubExport?: () => HubExport | null;
  reports: ReportService;
  /** Team mode: a call asked of the hub (null when standalone). */
  remote?: (method: string, args: unknown) => Promise<Result<unknown>> | null;
  /** On a hub: the buyers' channels (null on a desk). */
  channels: ChannelService | null;
  /** Where a phrase import's file is read and checked (the core's parse thread; inline when absent). */
  parsePhrases?: ParsePhraseFile | undefined;
  /** 催付 and auto-replies: settings, the 待付款 queue, the reminder log. */
  automation: AutomationService;
  /** Pictures in chats, both ways (the agent's sent with `messages.send`'s `image`). */
  images: MessageImageService;
  /** The calling agent's own holds, snoozes and drafts. */
  personal: PersonalService;
} & AccountDeps &
  TeamDeps;

/** The handler of every contract method: thin, delegating to the services. */
export function createHandlers(deps: Deps): Handlers {
  const { store, conversations, demo, info } = deps;
  const redLines = redLineService(store, deps.now);
  return {
    ...createDeskHandlers({ ...deps, redLines }),
    ...createRedLineHandlers(redLines),
    'app.info': (_args, ctx) => info(ctx.agentId),
    'agents.list': () => store.agents.list(),
    // The badge is the shell's (app/badge.ts); a desk in browser mode shows the count in its title.
    'app.badge': () => null,
    'session.switchAgent': ({ agentId }, ctx) => deps.switchAgent(ctx.connection, agentId),
    'conversations.list': ({ status }) => conversations.list(status),
    'conversations.markRead': ({ conversationId }) => conversations.markRead(conversationId),
    'conversations.returning': ({ customerIds }) => store.conversations.returning(customerIds),
    'messages.page': ({ conversationId, limit, before }) => conversations.page(conversationId, limit, before),
    'messages.send': ({ image, product, ...args }, ctx) =>
      image
        ? deps.images.send({ ...args, base64: image.base64 }, ctx.agentId)
        : product
          ? // A product card: its text is the card's lines, written here from the checked fields.
            conversations.send({ ...args, text: productCardText(product), kind: 'product_card' }, ctx.agentId)
          : conversations.send(args, ctx.agentId),
    'conversations.take': ({ conversationId }, ctx) => deps.routing.take(conversationId, ctx),
    'conversations.transfer': (args, ctx) => deps.routing.transfer(args, ctx),
    'routing.setMaxOpen': ({ agentIds, maxOpen }, ctx) => deps.routing.setMaxOpen(agentIds, maxOpen, ctx),
    'customers.get': ({ customerId }) => deps.customers.get(customerId),
    'orders.listByCustomer': ({ customerId }) => store.orders.listByCustomer(customerId),
    'stats.counts': () => store.stats.counts(),
    'demo.configureBuyers': ({ enabled, intervalMs }) => {
      const config = demo.configure({ enabled, ...(intervalMs === undefined ? {} : { intervalMs }) });
      store.settings.set('demoBuyers', config);
      return config;
    },
    ...createLogExportHandlers(deps),
    ...createSyncHandlers(deps),
    ...createAccountHandlers(deps),
    ...createMaintenanceHandlers(deps),
    ...createSearchHandlers(deps),
    ...createReportHandlers(deps),
    ...readyRecoveryHandlers(),
    ...createTeamHandlers(deps),
    ...createChannelHandlers(deps.channels, deps.images),
    ...createAutomationHandlers(deps.automation),
    ...createPersonalHandlers(deps.personal),
  };
}
