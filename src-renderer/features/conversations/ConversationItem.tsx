import type { ConversationSummary } from '../../../shared/domain/types';
import { Avatar } from '../../components/Avatar';
import { TagChip } from '../../components/TagChip';
import { formatDuration } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useDeskStore } from '../../state/store';
import type { PersonalItem } from '../../../shared/domain/personal';
import { HoldBadge } from '../personal/HoldMenu';

/** grey, then amber, then red as the buyer waits (1 and 3 minutes unless the agent changed them in settings). */
export function waitLevel(waitedMs: number, amberMinutes = 1, redMinutes = 3): 'calm' | 'amber' | 'red' {
  if (waitedMs >= redMinutes * 60_000) return 'red';
  if (waitedMs >= amberMinutes * 60_000) return 'amber';
  return 'calm';
}

type Props = {
  conversation: ConversationSummary;
  selected: boolean;
  /** The agent's hold or snooze of it, if any. */
  personal: PersonalItem | undefined;
  /** The buyer has an ended conversation (老客). */
  returning: boolean;
  now: number;
  /** Whose it is: 'me', a colleague's nick, or null for the queue (未分配). */
  owner: string | null;
  onSelect: (id: string) => void;
};

export function ConversationItem({ conversation: c, selected, personal, returning, now, owner, onSelect }: Props) {
  const { t } = useT();
  const amber = useDeskStore((s) => s.waitAmberMinutes);
  const red = useDeskStore((s) => s.waitRedMinutes);
  const waited = c.waitingSince === null ? null : Math.max(0, now - c.waitingSince);
  return (
    <div
      role="option"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      className={`conversation-item${selected ? ' selected' : ''}${personal?.state === 'due' ? ' snooze-returned' : ''}`}
      onClick={() => onSelect(c.id)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect(c.id);
        }
      }}
      data-conversation-id={c.id}
    >
      <Avatar name={c.customerNick} />
      <div className="conversation-main">
        <div className="conversation-top">
          <span className="nick">{c.customerNick}</span>
          {returning && (
            <span className="returning-badge" title={t('list.returningTitle')}>
              {t('list.returning')}
            </span>
          )}
          <HoldBadge item={personal} now={now} />
          {owner === null ? (
            <span className="owner owner-none">{t('list.unassigned')}</span>
          ) : (
            <span
              className={`owner${owner === 'me' ? ' owner-me' : ''}`}
              title={t('list.owner', { nick: owner === 'me' ? t('list.ownerMe') : owner })}
            >
              {owner === 'me' ? t('list.ownerMe') : owner}
            </span>
          )}
          {waited !== null && (
            <span className={`wait wait-${waitLevel(waited, amber, red)}`} title={t('list.waiting', { time: formatDuration(t, waited) })}>
              {formatDuration(t, waited)}
            </span>
          )}
        </div>
        {c.customerTags.length > 0 && (
          <div className="tags">
            {c.customerTags.map((tag) => (
              <TagChip key={tag.id} tag={tag} />
            ))}
          </div>
        )}
        <div className="conversation-bottom">
          <span className="preview">{c.lastMessagePreview}</span>
          {c.unreadCount > 0 && (
            <span className="unread" aria-label={t('list.unread', { count: c.unreadCount })}>
              {c.unreadCount > 99 ? '99+' : c.unreadCount}
            </span>
          )}
        </div>
      </div>
    </div>
  );
}
