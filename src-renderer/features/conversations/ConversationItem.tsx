import type { ConversationSummary } from '../../../shared/domain/types';
import { Avatar } from '../../components/Avatar';
import { TagChip } from '../../components/TagChip';
import { formatDuration } from '../../i18n';
import { useT } from '../../i18n/useT';

/** grey under 1 min, amber from 1 min, red from 3 min (the settings screen will make these adjustable). */
export const WAIT_THRESHOLDS = { amberMs: 60_000, redMs: 180_000 };

export function waitLevel(waitedMs: number): 'calm' | 'amber' | 'red' {
  if (waitedMs >= WAIT_THRESHOLDS.redMs) return 'red';
  if (waitedMs >= WAIT_THRESHOLDS.amberMs) return 'amber';
  return 'calm';
}

type Props = { conversation: ConversationSummary; selected: boolean; held: boolean; now: number; onSelect: (id: string) => void };

export function ConversationItem({ conversation: c, selected, held, now, onSelect }: Props) {
  const { t } = useT();
  const waited = c.waitingSince === null ? null : Math.max(0, now - c.waitingSince);
  return (
    <div
      role="option"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      className={`conversation-item${selected ? ' selected' : ''}`}
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
          {held && <span className="held-badge">{t('filter.heldBadge')}</span>}
          {waited !== null && (
            <span className={`wait wait-${waitLevel(waited)}`} title={t('list.waiting', { time: formatDuration(t, waited) })}>
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
