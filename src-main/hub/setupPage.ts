import { PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS } from '../../shared/domain/policy';
import { LANGS, type Lang } from '../../shared/domain/lang';
import { translate, type MessageKey, type Vars } from '../../shared/i18n';

/**
 * The hub's own pages (plain HTML, one small script, one style sheet; every word from shared/i18n):
 * the first-run page while the shop has no owner, and a status page after. Neither shows any of the
 * shop's data. Served with a CSP that allows only the hub's own script and style files.
 */

export const ASSET_PATHS = { script: '/hub-assets/setup.js', style: '/hub-assets/hub.css' } as const;

/** Only the hub's own files; no inline script or style, no frames, forms post nowhere else. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A sentence as HTML text (escaped, placeholders filled with escaped values). */
const text = (lang: Lang, key: MessageKey, vars?: Vars) => escapeHtml(translate(lang, key, vars));

function otherLang(lang: Lang): Lang {
  return LANGS.find((l) => l !== lang) ?? lang;
}

function page(lang: Lang, body: string, script: boolean, data?: unknown): string {
  const other = otherLang(lang);
  // JSON inside a data block: `<` is escaped so no value can close the element.
  const words =
    data === undefined ? '' : `<script type="application/json" id="words">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${text(lang, 'hubPage.title')}</title>
<link rel="stylesheet" href="${ASSET_PATHS.style}">
</head>
<body>
<main class="card">
<header class="top"><h1>${text(lang, 'hubPage.title')}</h1><a class="lang" href="/?lang=${other}" hreflang="${other}" lang="${other}">${text(lang, 'hubPage.otherLang')}</a></header>
${body}
</main>
${words}${script ? `<script src="${ASSET_PATHS.script}"></script>` : ''}
</body>
</html>
`;
}

/** The words the page's script shows (errors, the done view), in the page's language. */
function scriptWords(lang: Lang) {
  const limits = { min: PASSWORD_MIN_CHARS, max: PASSWORD_MAX_CHARS };
  const t = (key: MessageKey, vars?: Vars) => translate(lang, key, vars);
  return {
    working: t('hubPage.setup.working'),
    submit: t('hubPage.setup.submit'),
    errors: {
      code: t('hubPage.error.code'),
      mismatch: t('hubPage.error.mismatch'),
      shop: t('hubPage.error.shop'),
      owner: t('hubPage.error.owner'),
      password: t('hubPage.error.password', limits),
      taken: t('hubPage.error.taken'),
      tooMany: t('hubPage.error.tooMany'),
      network: t('hubPage.error.network'),
      other: t('hubPage.error.other'),
    },
    summary: t('hubPage.done.summary'),
    sampleNick: t('hubPage.accounts.sampleNick'),
  };
}

export type SetupWords = ReturnType<typeof scriptWords>;

/** The first-run form: setup code, shop name, owner account, password twice. */
export function firstRunPage(lang: Lang): string {
  const field = (id: string, label: MessageKey, input: string, hint?: string) =>
    `<div class="field"><label for="${id}">${text(lang, label)}</label>${input}${hint ? `<p class="hint" id="${id}-hint">${hint}</p>` : ''}</div>`;
  const body = `<section id="setup">
<h2>${text(lang, 'hubPage.setup.heading')}</h2>
<p>${text(lang, 'hubPage.setup.intro')}</p>
<noscript><p class="error">${text(lang, 'hubPage.noScript')}</p></noscript>
<form id="setup-form" novalidate>
${field(
  'code',
  'hubPage.setup.code',
  '<input id="code" name="code" required maxlength="64" autocomplete="one-time-code" spellcheck="false" autocapitalize="characters" aria-describedby="code-hint" class="code">',
  text(lang, 'hubPage.setup.codeHint'),
)}
${field('shop', 'hubPage.setup.shop', '<input id="shop" name="shop" required maxlength="40" autocomplete="organization">')}
${field(
  'owner',
  'hubPage.setup.owner',
  '<input id="owner" name="owner" required maxlength="32" autocomplete="username" spellcheck="false" aria-describedby="owner-hint">',
  text(lang, 'hubPage.setup.ownerHint'),
)}
<div class="pair">
${field(
  'password',
  'hubPage.setup.password',
  `<input id="password" name="password" type="password" required minlength="${PASSWORD_MIN_CHARS}" maxlength="${PASSWORD_MAX_CHARS}" autocomplete="new-password" aria-describedby="password-hint">`,
  text(lang, 'hubPage.setup.passwordHint', { min: PASSWORD_MIN_CHARS }),
)}
${field(
  'confirm',
  'hubPage.setup.confirm',
  `<input id="confirm" name="confirm" type="password" required maxlength="${PASSWORD_MAX_CHARS}" autocomplete="new-password">`,
)}
</div>
<p id="error" class="error" role="alert" hidden></p>
<button id="submit" type="submit">${text(lang, 'hubPage.setup.submit')}</button>
</form>
</section>
<section id="done" hidden>
<h2 tabindex="-1">${text(lang, 'hubPage.done.heading')}</h2>
<p id="summary" class="ok"></p>
<h3>${text(lang, 'hubPage.connect.heading')}</h3>
<p>${text(lang, 'hubPage.connect.body')}</p>
<pre><code id="hub-address"></code></pre>
<h3>${text(lang, 'hubPage.accounts.heading')}</h3>
<p>${text(lang, 'hubPage.accounts.body')}</p>
<pre><code id="cmd-add"></code></pre>
<p>${text(lang, 'hubPage.accounts.list')}</p>
<pre><code id="cmd-list"></code></pre>
<p>${text(lang, 'hubPage.accounts.disable')}</p>
<pre><code id="cmd-disable"></code></pre>
<p class="hint">${text(lang, 'hubPage.tls')}</p>
</section>`;
  return page(lang, body, true, scriptWords(lang));
}

/** A hub with no owner and no setup code (started without one): the CLI is the way. */
export function noSetupPage(lang: Lang): string {
  return page(lang, `<section><p>${text(lang, 'hubPage.noSetup')}</p></section>`, false);
}

/** After setup: what this is, the shop's name and the version. No data. */
export function statusPage(lang: Lang, shopName: string, version: string): string {
  const body = `<section id="status">
<h2>${text(lang, 'hubPage.status.heading')}</h2>
<p class="shop">${text(lang, 'hubPage.status.shop', { shop: shopName })}</p>
<p>${text(lang, 'hubPage.status.body')}</p>
<p class="hint">${text(lang, 'hubPage.status.version', { version })}</p>
</section>`;
  return page(lang, body, false);
}

/**
 * The first-run page's script: fills the code from the address's fragment (`#code=…`, never sent to
 * the server), checks the two passwords, posts to /api/setup and shows the answer. Text is set with
 * textContent only.
 */
export const SETUP_SCRIPT = `'use strict';
(() => {
  const words = JSON.parse(document.getElementById('words').textContent);
  const $ = (id) => document.getElementById(id);
  const form = $('setup-form');
  const error = $('error');
  const button = $('submit');
  const fill = (s, vars) => s.replace(/\\{(\\w+)\\}/g, (whole, name) => (Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole));
  const fromHash = /(?:^#|&)code=([^&]*)/.exec(location.hash);
  if (fromHash) {
    try { $('code').value = decodeURIComponent(fromHash[1]); } catch (e) { /* a broken fragment: typed by hand instead */ }
    history.replaceState(null, '', location.pathname + location.search);
  }
  const show = (reason, vars) => {
    error.textContent = fill(words.errors[reason] || words.errors.other, vars || {});
    error.hidden = false;
    const focus = { code: 'code', shop: 'shop', owner: 'owner', password: 'password', mismatch: 'confirm' }[reason];
    if (focus) $(focus).focus();
  };
  const quote = (s) => (/^[A-Za-z0-9_\\/.:\\\\-]+$/.test(s) ? s : '"' + s.replace(/"/g, '\\\\"') + '"');
  const done = (answer) => {
    $('setup').hidden = true;
    $('done').hidden = false;
    $('summary').textContent = fill(words.summary, { shop: answer.shop, owner: answer.owner });
    $('hub-address').textContent = location.origin;
    const dir = quote(answer.dataDir || 'DIR');
    $('cmd-add').textContent = 'jiedai hub accounts add --data-dir ' + dir + ' --nick ' + words.sampleNick + ' --role agent --password-stdin';
    $('cmd-list').textContent = 'jiedai hub accounts list --data-dir ' + dir;
    $('cmd-disable').textContent = 'jiedai hub accounts disable --data-dir ' + dir + ' --nick ' + words.sampleNick;
    $('done').querySelector('h2').focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const value = (id) => $(id).value;
    if (value('password') !== value('confirm')) return show('mismatch');
    button.disabled = true;
    button.textContent = words.working;
    try {
      const response = await fetch('/api/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
        body: JSON.stringify({ code: value('code'), shop: value('shop'), owner: value('owner'), password: value('password'), confirm: value('confirm') }),
      });
      const body = await response.json().catch(() => null);
      if (response.ok && body && body.ok) return done(body);
      const reason = body && body.error && body.error.reason;
      show(reason || (response.status === 429 ? 'tooMany' : 'other'), { seconds: response.headers.get('retry-after') || '60' });
    } catch (e) {
      show('network');
    } finally {
      button.disabled = false;
      button.textContent = words.submit;
    }
  });
})();
`;

export const HUB_CSS = `*, *::before, *::after { box-sizing: border-box; }
html { color-scheme: light; }
body { margin: 0; min-height: 100vh; background: #f3f5f8; color: #1f2933; font: 15px/1.6 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", sans-serif; display: flex; justify-content: center; align-items: flex-start; padding: 40px 16px; }
.card { width: 100%; max-width: 620px; background: #fff; border: 1px solid #dde2e8; border-radius: 10px; padding: 28px 32px 32px; box-shadow: 0 2px 10px rgba(15, 23, 42, 0.06); }
.top { display: flex; align-items: baseline; justify-content: space-between; gap: 16px; border-bottom: 1px solid #e6e9ee; padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 18px; margin: 16px 0 8px; }
h2:focus { outline: none; }
h3 { font-size: 15px; margin: 20px 0 4px; }
p { margin: 6px 0; }
a { color: #1d64c8; }
.lang { font-size: 14px; white-space: nowrap; }
.field { margin: 14px 0 0; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0 16px; }
label { display: block; font-weight: 600; margin-bottom: 4px; }
input { width: 100%; font: inherit; padding: 7px 10px; border: 1px solid #b8c1cc; border-radius: 6px; background: #fff; color: inherit; }
input:focus { outline: 2px solid #1d64c8; outline-offset: 1px; border-color: #1d64c8; }
input.code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; letter-spacing: 0.08em; text-transform: uppercase; }
.hint { color: #5b6673; font-size: 13px; margin-top: 4px; }
.error { color: #b42318; background: #fef3f2; border: 1px solid #fecdca; border-radius: 6px; padding: 8px 12px; margin-top: 16px; }
.ok { color: #05603a; background: #ecfdf3; border: 1px solid #abefc6; border-radius: 6px; padding: 8px 12px; }
.shop { font-size: 17px; font-weight: 600; }
button { margin-top: 20px; font: inherit; font-weight: 600; padding: 8px 22px; border: 0; border-radius: 6px; background: #1d64c8; color: #fff; cursor: pointer; }
button:disabled { background: #8aa9d6; cursor: default; }
button:focus-visible { outline: 2px solid #0b3d83; outline-offset: 2px; }
pre { margin: 6px 0; background: #f6f8fa; border: 1px solid #e1e5ea; border-radius: 6px; padding: 8px 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-family: ui-monospace, "SFMono-Regular", Consolas, monospace; font-size: 13px; }
[hidden] { display: none !important; }
@media (max-width: 560px) { .pair { grid-template-columns: 1fr; } .card { padding: 20px; } }
`;
