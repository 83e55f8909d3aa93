import type { Lang } from '../../../shared/domain/lang';
import type { Store } from '../../store';
import type { ConversationService } from '../conversations';
import { apiTokenService, inboundService } from './apiChannel';
import { channelOutbound, type ChannelEvent } from './outbound';
import { webhookService, type WebhookOptions } from './webhooks';
import { imageLinks } from './imageLinks';
import { IMAGE_TEXT, widgetService } from './widget';

export type { ChannelEvent } from './outbound';
export type { DeliveryOutcome, DueDelivery } from './webhooks';
export type { InboundAnswer } from './apiChannel';
export type { WidgetSend } from './widget';

export type ChannelServiceDeps = {
  store: Store;
  conversations: ConversationService;
  now: () => number;
  dataDir: string;
  agentsOnline: () => boolean;
  emit: (events: ChannelEvent[]) => void;
  webhooks?: WebhookOptions | undefined;
  lang?: Lang;
  log?: ((message: string, error?: unknown) => void) | undefined;
};

/**
 * The hub's channels (issue 13), composed: API tokens, inbound messages stored once per idempotency
 * key, webhook endpoints and their outbox, the widget, and the feed reader that turns what agents
 * did into deliveries and widget messages.
 */
export function channelService(deps: ChannelServiceDeps) {
  const { store, conversations, now } = deps;
  const webhooks = webhookService(store, now, deps.webhooks);
  const tokens = apiTokenService(store, now);
  const inbound = inboundService({ store, conversations, webhooks, now, dataDir: deps.dataDir });
  const widget = widgetService({
    store,
    inbound,
    now,
    dataDir: deps.dataDir,
    agentsOnline: deps.agentsOnline,
    ...(deps.lang ? { lang: deps.lang } : {}),
    receiveImage: (customerId, at) => conversations.receive({ customerId, text: IMAGE_TEXT, at, kind: 'image' }),
  });
  const links = imageLinks(store, now);
  const outbound = channelOutbound({
    store,
    webhooks,
    widget,
    now,
    emit: deps.emit,
    links,
    publicUrl: () => widget.settings().publicUrl,
    isBridge: (agentId) => inbound.isBridge(agentId),
    log: deps.log,
  });
  return { webhooks, tokens, inbound, widget, outbound, links };
}

export type ChannelService = ReturnType<typeof channelService>;
