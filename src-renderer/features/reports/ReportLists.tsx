import type { ReportPhrases, ReportQuestions } from '../../../shared/contract/reports';
import { useT } from '../../i18n/useT';

/** Hot questions (similar wordings grouped) and hot words; each group opens the conversations that ask it. */
export function HotQuestions({ questions, onOpen }: { questions: ReportQuestions | null; onOpen: (term: string) => void }) {
  const { t } = useT();
  const top = questions?.questions ?? [];
  const most = Math.max(1, ...top.map((q) => q.count));
  return (
    <section className="reports-card" aria-label={t('reports.questions')}>
      <h2>{t('reports.questions')}</h2>
      <p className="muted small">{t('reports.questionsHint')}</p>
      {top.length === 0 ? (
        <p className="muted">{t('reports.noQuestions')}</p>
      ) : (
        <ol className="reports-questions">
          {top.map((q) => (
            <li key={q.keys[0]}>
              <button
                type="button"
                className="link"
                title={q.keys.join(' / ')}
                aria-label={t('reports.questionOpen', { term: q.term })}
                onClick={() => onOpen(q.term)}
              >
                {q.text}
              </button>
              <span className="bar" style={{ width: `${Math.round((q.count / most) * 100)}%` }} aria-hidden="true" />
              <span className="count">{t('reports.questionCount', { count: q.count })}</span>
            </li>
          ))}
        </ol>
      )}
      {questions && questions.words.length > 0 && (
        <>
          <h3>{t('reports.words')}</h3>
          <p className="reports-words">
            {questions.words.slice(0, 24).map((w) => (
              <span key={w.word} className="word">
                {w.word} <span className="muted">{w.n}</span>
              </span>
            ))}
          </p>
        </>
      )}
    </section>
  );
}

/** The team's phrases used most, and those not used, in the report's period (or since each was written). */
export function PhraseUse({ phrases }: { phrases: ReportPhrases | null }) {
  const { t } = useT();
  const inPeriod = phrases?.period != null;
  const mostTitle = t(inPeriod ? 'reports.phrasesMostPeriod' : 'reports.phrasesMost');
  const neverTitle = phrases
    ? t(inPeriod ? 'reports.phrasesNeverPeriod' : 'reports.phrasesNever', { count: phrases.neverUsedCount, total: phrases.teamCount })
    : '';
  return (
    <section className="reports-card" aria-label={t('reports.phrases')}>
      <h2>{t('reports.phrases')}</h2>
      {!phrases || phrases.teamCount === 0 ? (
        <p className="muted">{t('reports.noPhrases')}</p>
      ) : (
        <div className="reports-phrases">
          <div>
            <h3>{mostTitle}</h3>
            {phrases.mostUsed.length === 0 && <p className="muted">{t('reports.noPhraseUse')}</p>}
            <ol aria-label={mostTitle}>
              {phrases.mostUsed.map((p) => (
                <li key={p.id} title={p.content}>
                  <span className="phrase">{p.title || p.content}</span>
                  <span className="muted">{t('reports.phraseUses', { count: p.useCount })}</span>
                </li>
              ))}
            </ol>
          </div>
          <div>
            <h3>{neverTitle}</h3>
            <ul aria-label={neverTitle}>
              {phrases.neverUsed.map((p) => (
                <li key={p.id} title={p.content}>
                  <span className="phrase">{p.title || p.content}</span>
                  <span className="muted">{p.groupName}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}
