import { useEffect, useMemo } from 'react';
import type { ConversationSummary } from '../../../shared/domain/types';
import { TagChip } from '../../components/TagChip';
import { useNow } from '../../hooks/useNow';
import { errorText } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useMutate } from '../../db';
import { useDeskStore } from '../../state/store';
import { Composer } from './Composer';
import { quoteOf } from './MessageBubble';
import { MessageList } from './MessageList';
import { useEarlierConversations } from './useEarlierConversations';
import { useMessages } from './useMessages';
import { useSend } from './useSend';
import { productsOf } from './ProductPicker';
import { useImageSupport } from './useImageSupport';
import { useAppInfo } from '../../hooks/useAppInfo';
import { useCustomerOrders } from '../orders/useCustomerOrders';
import type { VariableValues } from '../phrases/picker/variables';
import { useRouting, useRoster } from '../routing/useRouting';
import { HoldMenu } from '../personal/HoldMenu';

/** The open conversation: header (whose it is, 接入 / 转接), messages, and the reply box. */
export function ConversationView({
  conversation,
  onEnd,
  onTransfer,
  onSnoozed,
}: {
  conversation: ConversationSummary;
  onEnd: (id: string) => void;
  onTransfer: (conversation: ConversationSummary) => void;
  /** The conversation was snoozed: it leaves the list until it is due. */
  onSnoozed: (id: string) => void;
}) {
  const { t } = useT();
  const { take, canTransfer, agentId } = useRouting();
  const { nicks } = useRoster();
  const mutate = useMutate();
  const now = useNow(60_000);
  const { messages, hasMore, loaded, firstItemIndex, olderLoading, error, loadOlder } = useMessages(conversation.id);
  const { send, sendImage, sendProduct, retry } = useSend(conversation.id);
  const images = useImageSupport(conversation.id);
  const earlier = useEarlierConversations(conversation.customerId, conversation.id);
  const quote = useDeskStore((s) => s.quote);

  const { info } = useAppInfo();
  const { orders } = useCustomerOrders(conversation.customerId);
  const products = useMemo(() => productsOf(orders), [orders]);
  const phraseOrderId = useDeskStore((s) => s.phraseOrder[conversation.id]);
  const phraseOrder = orders?.find((o) => o.id === phraseOrderId) ?? null;
  const usePhraseOrder = useDeskStore((s) => s.usePhraseOrder);
  const variables = useMemo<VariableValues>(() => {
    const latest = phraseOrder ?? orders?.[0];
    return {
      买家昵称: conversation.customerNick,
      订单号: latest?.orderNo ?? null,
      物流公司: latest?.logisticsCompany ?? null,
      物流单号: latest?.trackingNo ?? null,
      店铺名: info?.shop.name ?? null,
      客服昵称: info?.agent.nick ?? null,
    };
  }, [conversation.customerNick, orders, phraseOrder, info]);

  // Reading the conversation marks the buyer's messages read (at once in the replica, then in the core).
  useEffect(() => {
    if (conversation.unreadCount > 0) void mutate('conversations.markRead', { conversationId: conversation.id });
  }, [mutate, conversation.id, conversation.unreadCount]);

  return (
    <section
      className="conversation-view"
      aria-label={conversation.customerNick}
      data-conversation-id={conversation.id}
      data-customer-id={conversation.customerId}
    >
      <header className="chat-header">
        <h2 className="nick">{conversation.customerNick}</h2>
        <div className="tags">
          {conversation.customerTags.map((tag) => (
            <TagChip key={tag.id} tag={tag} />
          ))}
        </div>
        <span className="spacer" />
        <span className={`chat-owner${conversation.agentId === null ? ' owner-none' : ''}`}>
          {conversation.agentId === null
            ? t('chat.unassigned')
            : conversation.agentId === agentId
              ? t('chat.ownerMe')
              : t('chat.owner', { nick: nicks.get(conversation.agentId) ?? '' })}
        </span>
        {conversation.agentId === null && (
          <button type="button" className="primary" onClick={() => take(conversation.id)}>
            {t('chat.take')}
          </button>
        )}
        {canTransfer(conversation) && (
          <button type="button" onClick={() => onTransfer(conversation)}>
            {t('chat.transfer')}
          </button>
        )}
        <HoldMenu conversationId={conversation.id} onSnoozed={onSnoozed} />
        <button type="button" onClick={() => onEnd(conversation.id)}>
          {t('chat.end')}
        </button>
      </header>
      {error && (
        <p role="alert" className="error">
          {errorText(t, error)}
        </p>
      )}
      {/* Mounted once the newest page is here, so it opens at the bottom (Virtuoso reads its start position once). */}
      {!loaded ? (
        <div className="message-list" />
      ) : (
        <MessageList
          key={conversation.id}
          label={t('view.messages', { nick: conversation.customerNick })}
          messages={messages}
          firstItemIndex={firstItemIndex}
          hasMore={hasMore}
          olderLoading={olderLoading}
          now={now}
          onStartReached={() => void loadOlder()}
          onRetry={retry}
          earlier={{ parts: earlier.parts, pending: earlier.pending, loading: earlier.loading, onLoad: () => void earlier.loadEarlier() }}
          onQuote={(m) => quote(conversation.id, quoteOf(m.text))}
        />
      )}
      {phraseOrder && (
        <div className="phrase-order" role="status">
          {t('composer.phraseOrder', { no: phraseOrder.orderNo })}
          <button
            type="button"
            className="link"
            aria-label={t('composer.phraseOrderClear')}
            onClick={() => usePhraseOrder(conversation.id, null)}
          >
            ×
          </button>
        </div>
      )}
      <Composer
        conversationId={conversation.id}
        onSend={send}
        onSendImage={sendImage}
        images={images}
        variables={variables}
        onSendProduct={sendProduct}
        products={products}
      />
    </section>
  );
}
