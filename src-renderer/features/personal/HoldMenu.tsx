import { useEffect, useRef, useState } from 'react';
import { SNOOZE_PRESETS, snoozeUntil, type Hold, type PersonalItem } from '../../../shared/domain/personal';
import { errorText, formatClock } from '../../i18n';
import { useT } from '../../i18n/useT';
import { usePersonal } from './PersonalProvider';

/** `YYYY-MM-DDTHH:MM` of a time on this desk's calendar (a datetime-local input's value). */
function localInput(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * 挂起 (a hold without end: the conversation stays in the list, marked) and 稍后处理 (out of the list
 * until a time or until the buyer writes again, then back at the top). Both are the agent's own,
 * kept in the core. `onSnoozed` is told when the conversation leaves the list.
 */
export function HoldMenu({ conversationId, onSnoozed }: { conversationId: string; onSnoozed: (id: string) => void }) {
  const { t } = useT();
  const { items, setHold, coreNow } = usePersonal();
  const item = items.get(conversationId);
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => box.current && !box.current.contains(e.target as Node) && setOpen(false);
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  useEffect(() => {
    setOpen(false);
    setProblem(null);
  }, [conversationId]);

  const apply = async (hold: Hold | null) => {
    const error = await setHold(conversationId, hold);
    if (error) {
      setProblem(t('snooze.failed', { reason: errorText(t, error) }));
      return;
    }
    setProblem(null);
    setOpen(false);
    if (hold && hold.kind !== 'held') onSnoozed(conversationId);
  };

  const snoozed = item?.hold && item.hold.kind !== 'held';
  return (
    <div className="hold-menu" ref={box}>
      {item?.hold?.kind === 'held' ? (
        <button type="button" aria-pressed onClick={() => void apply(null)}>
          {t('chat.unhold')}
        </button>
      ) : snoozed ? (
        <button type="button" aria-pressed onClick={() => void apply(null)}>
          {t('snooze.cancel')}
        </button>
      ) : (
        <>
          <button type="button" aria-pressed={false} onClick={() => void apply({ kind: 'held' })}>
            {t('chat.hold')}
          </button>
          <button
            type="button"
            aria-haspopup="menu"
            aria-expanded={open}
            onClick={() => {
              setPicked(localInput(snoozeUntil('2h', coreNow())));
              setOpen((o) => !o);
            }}
          >
            {t('snooze.button')} ▾
          </button>
        </>
      )}
      {open && (
        <div
          className="hold-popup"
          role="menu"
          aria-label={t('snooze.menu')}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          {SNOOZE_PRESETS.map((p) => (
            <button key={p} type="button" role="menuitem" onClick={() => void apply({ kind: 'until', until: snoozeUntil(p, coreNow()) })}>
              {t(`snooze.${p}`)}
            </button>
          ))}
          <button type="button" role="menuitem" onClick={() => void apply({ kind: 'buyer' })}>
            {t('snooze.buyer')}
          </button>
          <form
            className="hold-pick"
            onSubmit={(e) => {
              e.preventDefault();
              const at = new Date(picked).getTime();
              if (Number.isFinite(at)) void apply({ kind: 'until', until: at });
            }}
          >
            <input type="datetime-local" aria-label={t('snooze.pick')} value={picked} onChange={(e) => setPicked(e.target.value)} />
            <button type="submit">{t('snooze.pickOk')}</button>
          </form>
        </div>
      )}
      {problem && (
        <p role="alert" className="hold-problem">
          {problem}
        </p>
      )}
    </div>
  );
}

/** The list's mark of a conversation the agent put aside: 挂起, 稍后 14:30, 等买家回复, or 稍后处理到期. */
export function HoldBadge({ item, now }: { item: PersonalItem | undefined; now: number }) {
  const { t, lang } = useT();
  if (!item?.state || !item.hold) return null;
  if (item.state === 'due') return <span className="held-badge snooze-due">{t('snooze.due')}</span>;
  if (item.hold.kind === 'held') return <span className="held-badge">{t('filter.heldBadge')}</span>;
  if (item.hold.kind === 'buyer') return <span className="held-badge">{t('snooze.untilBuyer')}</span>;
  const until = item.hold.until;
  const time = formatClock(lang, until);
  const sameDay = new Date(until).toDateString() === new Date(now).toDateString();
  const text = sameDay
    ? t('snooze.until', { time })
    : t('snooze.untilDay', { day: new Date(until).toLocaleDateString(lang, { month: 'numeric', day: 'numeric' }), time });
  return <span className="held-badge">{text}</span>;
}
