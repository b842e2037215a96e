// common.js — what every page shares: the API client (cookie session + CSRF header), the AQI
// level colours (HJ 633-2012 Table 2 colours, level 1..6), language switching and small DOM
// helpers.  The dashboard computes nothing: every figure comes from the API.
import { t, lang, setLang, applyI18n } from './i18n.js';

export const LEVEL_COLOURS = ['#00e400', '#ffff00', '#ff7e00', '#ff0000', '#99004c', '#7e0023'];
export const levelColour = (lv) => (lv >= 1 && lv <= 6 ? LEVEL_COLOURS[lv - 1] : '#bbbbbb');
// surface-water classes (GB 3838-2002) in the usual report colours: I–II blue, III green, IV
// yellow, V orange, 劣V red; grey when not judged
export const CLASS_NAMES = ['I', 'II', 'III', 'IV', 'V', '劣V'];
const CLASS_COLOURS = ['#3399ff', '#3399ff', '#00c060', '#ffd400', '#ff8c00', '#e60000'];
export const classColour = (c) => { const i = CLASS_NAMES.indexOf(c); return i >= 0 ? CLASS_COLOURS[i] : '#bbbbbb'; };
export const levelText = (lv) => (lv >= 1 && lv <= 6 ? '#000' : '#000');

let csrf = null;
export function setCsrf(v) { csrf = v; }

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error && body.error.message) || ('HTTP ' + status));
    this.status = status;
    this.field = body && body.error ? body.error.field : null;
  }
}

export async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', headers: {}, credentials: 'same-origin' };
  if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (init.method !== 'GET' && csrf) init.headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, init);
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new ApiError(r.status, body);
  return body;
}

export function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
  return e;
}

export function fmt(v) { return v === null || v === undefined ? '—' : String(v); }

export function addDays(iso, n) {
  const d = new Date(iso.slice(0, 10) + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// A table with CSV/Excel export links (the same endpoint with ?format=csv|xlsx).
export function table(cols, rows, exportUrl, id) {
  const head = el('tr', {}, ...cols.map((c) => el('th', { text: t(c.label) })));
  const body = rows.map((r) => el('tr', {}, ...cols.map((c) => {
    const v = c.get ? c.get(r) : r[c.key];
    const td = el('td', { text: fmt(v) });
    if (c.level) { const lv = c.level(r); if (lv) td.style.background = levelColour(lv); }
    if (c.colour) { const col = c.colour(r); if (col) td.style.background = col; }
    return td;
  })));
  const wrap = el('div', { class: 'table-wrap' });
  if (exportUrl) {
    const sep = exportUrl.includes('?') ? '&' : '?';
    wrap.append(el('div', { class: 'exports' },
      el('a', { href: exportUrl + sep + 'format=csv', class: 'btn', download: '', 'data-export': 'csv', id: id ? id + '-csv' : null, text: t('export_csv') }),
      el('a', { href: exportUrl + sep + 'format=xlsx', class: 'btn', download: '', 'data-export': 'xlsx', id: id ? id + '-xlsx' : null, text: t('export_xlsx') })));
  }
  wrap.append(el('table', { class: 'data', id: id || null }, el('thead', {}, head), el('tbody', {}, ...body)));
  return wrap;
}

export function langSwitch() {
  const b = el('button', { class: 'lang', id: 'lang-switch', type: 'button', text: lang() === 'zh' ? 'English' : '中文' });
  b.addEventListener('click', () => { setLang(lang() === 'zh' ? 'en' : 'zh'); location.reload(); });
  return b;
}

export function placeholder(key) {
  return el('div', { class: 'placeholder' }, el('strong', { text: t(key) }), el('p', { text: t('api_coming') }));
}

export { t, lang, applyI18n };
