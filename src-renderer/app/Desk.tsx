import { ConversationView } from '../features/chat/ConversationView';
import { ConversationList } from '../features/conversations/ConversationList';
import { useConversationList } from '../features/conversations/useConversationList';
import { CustomerPanel } from '../features/customer/CustomerPanel';
import { useT } from '../i18n/useT';
import { useDeskStore } from '../state/store';

/** The agent's desk: conversations on the left, the open chat in the middle, the buyer on the right. */
export function Desk() {
  const { t } = useT();
  const { conversations, error } = useConversationList();
  const selectedId = useDeskStore((s) => s.selectedConversationId);
  const selected = conversations?.find((c) => c.id === selectedId) ?? null;
  return (
    <main className="desk">
      <ConversationList conversations={conversations} error={error} />
      {selected ? (
        <>
          <ConversationView conversation={selected} />
          <CustomerPanel customerId={selected.customerId} conversationId={selected.id} />
        </>
      ) : (
        <div className="empty-view muted">{t('view.empty')}</div>
      )}
    </main>
  );
}
