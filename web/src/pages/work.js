// pages/work.js — #/work: one board per kind of work (columns = the kind's states, cards = its
// items, deadlines shown and overdue items highlighted); #/work/ID: one item with its event log,
// and the move form, which offers only the legal next states for this account and asks for the
// fields each requires (note, amount, evidence digest).  The rules are the workflow engine's:
// the page asks /api/work/ID/next and posts /api/work/ID/move.
import { api, el, t, fmt, table } from '../common.js';

const CARDS_PER_COLUMN = 60;

function today() {
  // Beijing civil day, as the server judges overdue
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
const overdue = (it) => it.open && it.due !== null && it.due < today();

export async function work(ctx, arg) {
  if (arg) return workItem(ctx, arg);
  const { main } = ctx;
  const kinds = await api('/api/work/kinds');
  const order = [];
  const states = {};
  for (const tr of kinds.items) {
    if (!states[tr.kind]) { states[tr.kind] = []; order.push(tr.kind); }
    for (const s of [tr.from, tr.to]) if (!states[tr.kind].includes(s)) states[tr.kind].push(s);
  }
  const want = new URLSearchParams(location.hash.split('?')[1] || '').get('kind') || order[0];
  const tabs = el('div', { class: 'tabs', id: 'work-kinds' }, ...order.map((k) =>
    el('a', { href: `#/work?kind=${k}`, class: k === want ? 'btn active' : 'btn', 'data-kind': k, text: t('kind_' + k) })));
  const od = await api('/api/work?overdue=1&limit=1');
  main.append(el('div', { class: 'toolbar' }, tabs,
    el('span', { class: 'badge overdue', id: 'work-overdue-total', text: `${t('overdue')}: ${od.total}` })),
  el('div', { id: 'work-board', class: 'board' }));
  const items = await api(`/api/work?kind=${encodeURIComponent(want)}&limit=100000`);
  const board = document.getElementById('work-board');
  for (const s of states[want]) {
    const mine = items.items.filter((i) => i.state === s).sort((a, b) => (overdue(b) - overdue(a)) || String(a.due).localeCompare(String(b.due)));
    if (!mine.length) { board.append(el('div', { class: 'column empty', 'data-state': s }, el('h3', { text: `${s} · 0` }))); continue; }
    const col = el('div', { class: 'column', 'data-state': s }, el('h3', { text: `${mine[0].state_label} · ${mine.length}` }));
    for (const it of mine.slice(0, CARDS_PER_COLUMN)) {
      col.append(el('a', { class: 'wcard' + (overdue(it) ? ' overdue' : ''), href: `#/work/${it.id}`, 'data-id': it.id },
        el('strong', { text: `#${it.id} ${it.title}` }),
        el('span', { class: 'muted small', text: `${t('unit')}: ${fmt(it.unit)} · ${t('due')}: ${fmt(it.due)}${overdue(it) ? ' · ' + t('overdue_flag') : ''}` })));
    }
    if (mine.length > CARDS_PER_COLUMN) col.append(el('p', { class: 'muted small', text: `… ${mine.length - CARDS_PER_COLUMN} ${t('more')}` }));
    board.append(col);
  }
}

async function workItem(ctx, id) {
  const { main } = ctx;
  const [it, next] = await Promise.all([api(`/api/work/${id}`), api(`/api/work/${id}/next`)]);
  const fields = [['kind', t('kind_' + it.kind)], ['state', `${it.state_label} (${it.state})`], ['unit', it.unit], ['person', it.person],
    ['enterprise', it.enterprise], ['point', it.point], ['round', it.round], ['created', it.created], ['updated_col', it.updated],
    ['due', it.due], ['amount_yuan', it.amount_yuan === null ? null : Number(it.amount_yuan).toFixed(2)]];
  const dl = el('dl', { class: 'fields' });
  for (const [k, v] of fields) {
    const dd = el('dd', { text: fmt(v) });
    if (k === 'enterprise' && v) dd.replaceChildren(el('a', { href: `#/enterprise/${v}`, text: v }));
    dl.append(el('dt', { text: t(k) }), dd);
  }
  if (overdue(it)) dl.append(el('dt', { text: t('overdue') }), el('dd', { class: 'overdue-text', text: t('overdue_flag') }));
  main.append(el('div', { class: 'grid' },
    el('section', { class: 'card wide' }, el('h2', { id: 'work-title', text: `#${it.id} ${it.title}` }), dl,
      el('p', {}, el('a', { href: `#/work?kind=${it.kind}`, text: t('back_board') }))),
    el('section', { class: 'card wide' }, el('h2', { text: t('move') }), moveForm(ctx, it, next)),
    el('section', { class: 'card full' }, el('h2', { text: t('events') }),
      table([{ label: 'seq', key: 'seq' }, { label: 'time', key: 'at' }, { label: 'actor', key: 'actor' }, { label: 'role', key: 'role' },
        { label: 'from', key: 'from' }, { label: 'to', key: 'to' }, { label: 'note', key: 'note' }, { label: 'amount_yuan', key: 'amount_yuan' },
        { label: 'evidence', key: 'evidence' }], it.events, null, 'work-events'))));
}

function moveForm(ctx, it, next) {
  const allowed = next.moves.filter((m) => m.allowed);
  if (!allowed.length) return el('p', { class: 'muted', id: 'move-none', text: next.moves.length ? t('move_not_yours') : t('move_final') });
  const sel = el('select', { id: 'move-to' }, ...allowed.map((m) => el('option', { value: m.to, text: `${m.label} → ${m.to_label}` })));
  const note = el('textarea', { id: 'move-note', rows: 2 });
  const amount = el('input', { id: 'move-amount', inputmode: 'decimal', placeholder: '0.00' });
  const evidence = el('input', { id: 'move-evidence', placeholder: 'BLAKE2b-256 (64 hex)' });
  const rows = { note: el('label', {}, t('note'), note), amount: el('label', {}, t('amount_yuan'), amount), evidence: el('label', {}, t('evidence'), evidence) };
  const err = el('p', { class: 'error', id: 'move-error' });
  const show = () => {
    const m = allowed.find((x) => x.to === sel.value);
    for (const k of ['note', 'amount', 'evidence']) rows[k].classList.toggle('hidden', !m[k]);
  };
  sel.addEventListener('change', show);
  show();
  const submit = el('button', { type: 'submit', id: 'move-submit', text: t('move_submit') });
  const form = el('form', { class: 'move', id: 'move-form' }, el('label', {}, t('move_to'), sel), rows.note, rows.amount, rows.evidence, submit, err);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const m = allowed.find((x) => x.to === sel.value);
    const body = { to: m.to };
    if (m.note) body.note = note.value;
    if (m.amount) body.amount = amount.value;
    if (m.evidence) body.evidence = evidence.value;
    err.textContent = '';
    submit.disabled = true;
    try {
      await api(`/api/work/${it.id}/move`, { method: 'POST', body });
      ctx.rerender();
    } catch (x) {
      err.textContent = x.message;
      submit.disabled = false;
    }
  });
  return form;
}
