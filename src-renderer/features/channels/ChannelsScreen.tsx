import { useCallback, useEffect, useState } from 'react';
import {
  WEBHOOK_EVENTS,
  type ApiToken,
  type ApiTokenScope,
  type CreatedApiToken,
  type DeadDelivery,
  type WebhookEndpoint,
  type WebhookEvent,
  type WidgetConfig,
  type WidgetSettings,
} from '../../../shared/contract/channels';
import type { ContractError } from '../../../shared/contract/errors';
import { newId } from '../../../shared/domain/ids';
import { errorText, formatClock, formatDay } from '../../i18n';
import { useT } from '../../i18n/useT';
import { useClient } from '../../ipc/ClientContext';

type Loaded = { widget: WidgetConfig; tokens: ApiToken[]; webhooks: WebhookEndpoint[]; dead: DeadDelivery[] };

const toggle = <T,>(list: T[], item: T): T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

/**
 * The owner's channels (issue 13): the web chat widget (its settings, the snippet and the full-page
 * link), API tokens for bridges (a new one shown once), webhook endpoints (with their signing secret
 * and a test button) and failed deliveries to send again. They live on the team hub: a desk of a team
 * sends these calls there, a standalone desk is told it needs a team.
 */
export function ChannelsScreen() {
  const { t } = useT();
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [refusal, setRefusal] = useState<ContractError | null>(null);

  const load = useCallback(async () => {
    const [widget, tokens, webhooks, dead] = await Promise.all([
      client.call('widget.get', {}),
      client.call('apiTokens.list', {}),
      client.call('webhooks.list', {}),
      client.call('webhooks.deadLetters', {}),
    ]);
    if (!widget.ok) return setRefusal(widget.error);
    for (const r of [tokens, webhooks, dead]) if (!r.ok) return setRefusal(r.error);
    if (!tokens.ok || !webhooks.ok || !dead.ok) return;
    setRefusal(null);
    setLoaded({ widget: widget.value, tokens: tokens.value, webhooks: webhooks.value, dead: dead.value });
  }, [client]);
  useEffect(() => void load(), [load]);

  if (refusal) {
    const text =
      refusal.code === 'conflict'
        ? t('channels.needHub')
        : refusal.code === 'unauthorized'
          ? t('channels.ownerOnly')
          : errorText(t, refusal);
    return (
      <div className="channels-screen">
        <h2>{t('channels.title')}</h2>
        <p role="alert" className="muted">
          {text}
        </p>
      </div>
    );
  }
  if (!loaded) return null;
  return (
    <div className="channels-screen">
      <h2>{t('channels.title')}</h2>
      <div className="channels-columns">
        <WidgetSection config={loaded.widget} onSaved={(widget) => setLoaded({ ...loaded, widget })} />
        <div className="channels-stack">
          <TokenSection tokens={loaded.tokens} reload={load} />
          <WebhookSection endpoints={loaded.webhooks} dead={loaded.dead} reload={load} />
        </div>
      </div>
    </div>
  );
}

function useAction() {
  const { t } = useT();
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(
    async <T,>(call: Promise<{ ok: true; value: T } | { ok: false; error: ContractError }>): Promise<T | null> => {
      const r = await call;
      if (r.ok) {
        setError(null);
        return r.value;
      }
      setError(t('channels.failed', { reason: errorText(t, r.error) }));
      return null;
    },
    [t],
  );
  const shown = error ? (
    <p role="alert" className="error">
      {error}
    </p>
  ) : null;
  return { run, shown };
}

function WidgetSection({ config, onSaved }: { config: WidgetConfig; onSaved: (c: WidgetConfig) => void }) {
  const { t } = useT();
  const client = useClient();
  const { run, shown } = useAction();
  const [form, setForm] = useState<WidgetSettings>(() => {
    const { snippet: _snippet, ...settings } = config;
    return settings;
  });
  const [origins, setOrigins] = useState(config.allowedOrigins.join('\n'));
  const [saved, setSaved] = useState(false);
  const update = (patch: Partial<WidgetSettings>) => {
    setForm({ ...form, ...patch });
    setSaved(false);
  };
  const save = async () => {
    const allowedOrigins = origins
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    const next = await run(client.call('widget.save', { ...form, allowedOrigins }));
    if (next) {
      onSaved(next);
      setSaved(true);
    }
  };
  const hours = form.hours;
  return (
    <section className="channels-section" aria-label={t('channels.widget.title')}>
      <h3>{t('channels.widget.title')}</h3>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => update({ enabled: e.target.checked })} />
        {t('channels.widget.enabled')}
      </label>
      <label>
        {t('channels.widget.publicUrl')}
        <input
          type="url"
          placeholder="https://chat.example.com"
          value={form.publicUrl}
          onChange={(e) => update({ publicUrl: e.target.value.trim() })}
        />
      </label>
      <label>
        {t('channels.widget.welcome')}
        <textarea rows={2} maxLength={500} value={form.welcomeText} onChange={(e) => update({ welcomeText: e.target.value })} />
      </label>
      <label>
        {t('channels.widget.offline')}
        <textarea rows={2} maxLength={500} value={form.offlineText} onChange={(e) => update({ offlineText: e.target.value })} />
      </label>
      <fieldset>
        <legend>{t('channels.widget.hours')}</legend>
        <label className="check">
          <input type="radio" name="widget-hours" checked={!hours} onChange={() => update({ hours: null })} />
          {t('channels.widget.hoursAlways')}
        </label>
        <label className="check">
          <input
            type="radio"
            name="widget-hours"
            checked={!!hours}
            onChange={() => update({ hours: { days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' } })}
          />
          {t('channels.widget.hoursSet')}
        </label>
        {hours && (
          <div className="channels-hours">
            {[1, 2, 3, 4, 5, 6, 0].map((d) => (
              <label key={d} className="check">
                <input
                  type="checkbox"
                  checked={hours.days.includes(d)}
                  onChange={() => update({ hours: { ...hours, days: toggle(hours.days, d) } })}
                />
                {t(`channels.day.${d}` as 'channels.day.0')}
              </label>
            ))}
            <label className="check">
              {t('channels.widget.from')}
              <input type="time" value={hours.from} onChange={(e) => update({ hours: { ...hours, from: e.target.value } })} />
            </label>
            <label className="check">
              {t('channels.widget.to')}
              <input type="time" value={hours.to} onChange={(e) => update({ hours: { ...hours, to: e.target.value } })} />
            </label>
          </div>
        )}
      </fieldset>
      <label>
        {t('channels.widget.origins')}
        <textarea rows={2} value={origins} onChange={(e) => (setOrigins(e.target.value), setSaved(false))} />
      </label>
      <div className="channels-actions">
        <button type="button" className="primary" onClick={() => void save()}>
          {t('channels.widget.save')}
        </button>
        {saved && <span role="status">{t('channels.widget.saved')}</span>}
      </div>
      {shown}
      {config.snippet ? (
        <div className="channels-snippet">
          <p>{t('channels.widget.snippet')}</p>
          <code>{config.snippet.script}</code>
          <p>{t('channels.widget.link')}</p>
          <code>{config.snippet.link}</code>
        </div>
      ) : (
        <p className="muted">{t('channels.widget.needUrl')}</p>
      )}
    </section>
  );
}

function TokenSection({ tokens, reload }: { tokens: ApiToken[]; reload: () => Promise<void> }) {
  const { t, lang } = useT();
  const client = useClient();
  const { run, shown } = useAction();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiTokenScope>('inbound');
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const when = (at: number) => `${formatDay(t, lang, at, Date.now())} ${formatClock(lang, at)}`;
  const create = async () => {
    const made = await run(client.call('apiTokens.create', { name, scope }));
    if (!made) return;
    setCreated(made);
    setName('');
    await reload();
  };
  return (
    <section className="channels-section" aria-label={t('channels.tokens.title')}>
      <h3>{t('channels.tokens.title')}</h3>
      {tokens.length === 0 && <p className="muted">{t('channels.tokens.empty')}</p>}
      <ul className="channels-list">
        {tokens.map((tk) => (
          <li key={tk.id}>
            <span className="name">{tk.name}</span>
            <span className="muted">{t(`channels.tokens.scope.${tk.scope}`)}</span>
            <span className="muted">
              {tk.lastUsedAt ? t('channels.tokens.lastUsed', { time: when(tk.lastUsedAt) }) : t('channels.tokens.never')}
            </span>
            {tk.revokedAt ? (
              <span className="muted">{t('channels.tokens.revoked')}</span>
            ) : (
              <button
                type="button"
                className="link"
                onClick={() => void run(client.call('apiTokens.revoke', { tokenId: tk.id })).then(reload)}
              >
                {t('channels.tokens.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="channels-row">
        <input
          aria-label={t('channels.tokens.name')}
          placeholder={t('channels.tokens.name')}
          maxLength={40}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <select aria-label={t('channels.tokens.scope')} value={scope} onChange={(e) => setScope(e.target.value as ApiTokenScope)}>
          <option value="inbound">{t('channels.tokens.scope.inbound')}</option>
          <option value="full">{t('channels.tokens.scope.full')}</option>
        </select>
        <button type="button" disabled={!name.trim()} onClick={() => void create()}>
          {t('channels.tokens.create')}
        </button>
      </div>
      {created && (
        <div className="channels-snippet" role="status">
          <p>{t('channels.tokens.created')}</p>
          <code>{created.token}</code>
        </div>
      )}
      {shown}
    </section>
  );
}

function WebhookSection({ endpoints, dead, reload }: { endpoints: WebhookEndpoint[]; dead: DeadDelivery[]; reload: () => Promise<void> }) {
  const { t } = useT();
  const client = useClient();
  const { run, shown } = useAction();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['message.created']);
  const [tested, setTested] = useState(false);
  const add = async () => {
    if (await run(client.call('webhooks.add', { id: newId(), url: url.trim(), events }))) {
      setUrl('');
      await reload();
    }
  };
  return (
    <section className="channels-section" aria-label={t('channels.webhooks.title')}>
      <h3>{t('channels.webhooks.title')}</h3>
      {endpoints.length === 0 && <p className="muted">{t('channels.webhooks.empty')}</p>}
      <ul className="channels-list">
        {endpoints.map((e) => (
          <li key={e.id}>
            <span className="name">{e.url}</span>
            <span className="muted">{e.events.map((ev) => t(`channels.event.${ev}`)).join('、')}</span>
            <span className="secret">
              {t('channels.webhooks.secret')} <code>{e.secret}</code>
            </span>
            <button
              type="button"
              className="link"
              onClick={() => void run(client.call('webhooks.test', { endpointId: e.id })).then((r) => setTested(r !== null))}
            >
              {t('channels.webhooks.test')}
            </button>
            <button
              type="button"
              className="link"
              onClick={() => void run(client.call('webhooks.remove', { endpointId: e.id })).then(reload)}
            >
              {t('channels.webhooks.remove')}
            </button>
          </li>
        ))}
      </ul>
      {tested && <p role="status">{t('channels.webhooks.tested')}</p>}
      <div className="channels-row">
        <input
          type="url"
          aria-label={t('channels.webhooks.url')}
          placeholder="https://bridge.example.com/jiedai"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="button" disabled={!url.trim() || events.length === 0} onClick={() => void add()}>
          {t('channels.webhooks.add')}
        </button>
      </div>
      <fieldset>
        <legend>{t('channels.webhooks.events')}</legend>
        {WEBHOOK_EVENTS.map((ev) => (
          <label key={ev} className="check">
            <input type="checkbox" checked={events.includes(ev)} onChange={() => setEvents(toggle(events, ev))} />
            {t(`channels.event.${ev}`)}
          </label>
        ))}
      </fieldset>
      {shown}
      <h3>{t('channels.dead.title')}</h3>
      {dead.length === 0 ? (
        <p className="muted">{t('channels.dead.empty')}</p>
      ) : (
        <ul className="channels-list">
          {dead.map((d) => (
            <li key={d.id}>
              <span className="name">
                {t('channels.dead.detail', {
                  event: d.event,
                  url: d.url,
                  attempts: d.attempts,
                  status: d.lastStatus ?? d.lastError ?? '—',
                })}
              </span>
              <button
                type="button"
                className="link"
                onClick={() => void run(client.call('webhooks.retry', { deliveryId: d.id })).then(reload)}
              >
                {t('channels.dead.retry')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
