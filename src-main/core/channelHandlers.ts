import { AppError } from '../../shared/contract/errors';
import { requireRole } from '../../shared/domain/policy';
import type { ChannelService } from '../services/channels';
import type { MessageImageService } from '../services/messageImages';
import type { CallContext, Handlers } from './router';

type ChannelMethod =
  | 'apiTokens.list'
  | 'apiTokens.create'
  | 'apiTokens.revoke'
  | 'webhooks.list'
  | 'webhooks.add'
  | 'webhooks.remove'
  | 'webhooks.test'
  | 'webhooks.deadLetters'
  | 'webhooks.retry'
  | 'widget.get'
  | 'widget.save'
  | 'messages.imageSupport'
  | 'messages.image';

/**
 * The owner's keeping of the hub's channels (API tokens, webhooks, the widget) and a desk's reading
 * of a chat's picture (a buyer's or an agent's: on a hub, and on a standalone desk for its demo buyers). On a desk that is no hub these are refused (a desk of a team sends them to its
 * hub before they get here: core/teamCalls.ts).
 */
export function createChannelHandlers(channels: ChannelService | null, images: MessageImageService): Pick<Handlers, ChannelMethod> {
  const on = (): ChannelService => {
    if (!channels) throw new AppError('conflict', 'channels live on the team hub: join a team to use them');
    return channels;
  };
  /** The hub's channels, for their keeper: on a desk with no hub anyone is told so first. */
  const ready = (ctx: CallContext): ChannelService => {
    const found = on();
    requireRole(ctx, 'keepChannels');
    return found;
  };
  return {
    'apiTokens.list': (_args, ctx) => ready(ctx).tokens.list(),
    'apiTokens.create': ({ name, scope }, ctx) => ready(ctx).tokens.create(name, scope, ctx.agentId),
    'apiTokens.revoke': ({ tokenId }, ctx) => ready(ctx).tokens.revoke(tokenId),
    'webhooks.list': (_args, ctx) => ready(ctx).webhooks.list(),
    'webhooks.add': (args, ctx) => ready(ctx).webhooks.add(args, ctx.agentId),
    'webhooks.remove': ({ endpointId }, ctx) => ready(ctx).webhooks.remove(endpointId),
    'webhooks.test': ({ endpointId }, ctx) => ready(ctx).webhooks.test(endpointId),
    'webhooks.deadLetters': (_args, ctx) => ready(ctx).webhooks.deadLetters(),
    'webhooks.retry': ({ deliveryId }, ctx) => ready(ctx).webhooks.retry(deliveryId),
    'widget.get': (_args, ctx) => ready(ctx).widget.config(),
    'widget.save': (args, ctx) => ready(ctx).widget.save(args),
    'messages.imageSupport': ({ conversationId }) => ({ images: images.supports(conversationId) }),
    'messages.image': ({ messageId }) => {
      const file = images.file(messageId);
      return { mime: file.mime, base64: file.bytes.toString('base64'), width: file.width, height: file.height };
    },
  };
}
