// pages/enterprise.js — #/enterprise: the registry (search by region, paged); #/enterprise/USCC:
// one enterprise's file (一企一档) — registration, outlets, permits, lists, work items, credit
// ratings, performance grades — exactly the record of /api/enterprises/{uscc}.  An enterprise
// account goes straight to its own file.
import { api, el, t, fmt, table } from '../common.js';

const PAGE = 50;

export async function enterprise(ctx, arg) {
  if (ctx.me.role === 'enterprise') return file(ctx, ctx.me.enterprise);
  if (arg) return file(ctx, arg);
  const { main } = ctx;
  const q = new URLSearchParams(location.hash.split('?')[1] || '');
  const region = q.get('region') || '';
  const offset = Number(q.get('offset') || 0);
  const url = `/api/enterprises?limit=${PAGE}&offset=${offset}${region ? '&region=' + encodeURIComponent(region) : ''}`;
  const list = await api(url);
  const input = el('input', { id: 'ent-region', value: region, placeholder: t('region') });
  const go = (off) => { location.hash = `#/enterprise?region=${encodeURIComponent(input.value)}&offset=${off}`; };
  main.append(el('section', { class: 'card full' }, el('h2', { text: `${t('enterprise_title')} · ${list.total}` }),
    el('div', { class: 'toolbar' }, input, el('button', { type: 'button', id: 'ent-search', text: t('search'), onclick: () => go(0) }),
      el('button', { type: 'button', text: '‹', disabled: offset === 0 ? '' : null, onclick: () => go(Math.max(0, offset - PAGE)) }),
      el('span', { class: 'muted', text: ` ${offset + 1}–${Math.min(offset + PAGE, list.total)} / ${list.total} ` }),
      el('button', { type: 'button', text: '›', disabled: offset + PAGE >= list.total ? '' : null, onclick: () => go(offset + PAGE) })),
    table([{ label: 'uscc', key: 'uscc' }, { label: 'ent_name', key: 'name' }, { label: 'industry', key: 'industry' },
      { label: 'region', key: 'region' }, { label: 'address', key: 'address' }, { label: 'status', key: 'status' }],
    list.items, url.replace(/limit=\d+&offset=\d+&?/, ''), 'ent-list')));
  for (const tr of document.querySelectorAll('#ent-list tbody tr')) {
    tr.classList.add('clickable');
    tr.addEventListener('click', () => { location.hash = '#/enterprise/' + tr.cells[0].textContent; });
  }
}

async function file(ctx, uscc) {
  const { main } = ctx;
  const e = await api('/api/enterprises/' + encodeURIComponent(uscc));
  const dl = el('dl', { class: 'fields' });
  for (const k of ['uscc', 'industry', 'region', 'address', 'lon', 'lat', 'status']) dl.append(el('dt', { text: t(k) }), el('dd', { text: fmt(e[k]) }));
  const sec = (title, id, cols, rows) => el('section', { class: 'card wide' }, el('h2', { text: `${t(title)} · ${rows.length}` }),
    rows.length ? table(cols, rows, null, id) : el('p', { class: 'muted', text: t('no_data') }));
  main.append(el('div', { class: 'grid', id: 'ent-file' },
    el('section', { class: 'card wide' }, el('h2', { id: 'ent-title', text: `${t('ent_file')}: ${e.name}` }), dl),
    sec('outlets', 'ent-outlets', [{ label: 'code', key: 'code' }, { label: 'name', key: 'name' }, { label: 'medium', key: 'medium' },
      { label: 'point', key: 'point' }, { label: 'mn', key: 'mn' }], e.outlets),
    sec('permits', 'ent-permits', [{ label: 'number', key: 'number' }, { label: 'permit_class', key: 'class' },
      { label: 'valid_from', key: 'valid_from' }, { label: 'valid_to', key: 'valid_to' }], e.permits),
    sec('lists', 'ent-lists', [{ label: 'year', key: 'year' }, { label: 'list', key: 'list' }], e.lists),
    sec('credit', 'ent-credit', [{ label: 'year', key: 'year' }, { label: 'score', key: 'score' }, { label: 'level', key: 'level' },
      { label: 'base_level', key: 'base_level' }, { label: 'reasons', key: 'reasons' }], e.credit),
    sec('grades', 'ent-grades', [{ label: 'year', key: 'year' }, { label: 'grade', key: 'grade' }, { label: 'industry', key: 'industry' },
      { label: 'yellow', key: 'yellow' }, { label: 'orange', key: 'orange' }, { label: 'red', key: 'red' }], e.grades),
    el('section', { class: 'card full' }, el('h2', { text: `${t('work_title')} · ${e.work.length}` }),
      table([{ label: 'id', key: 'id' }, { label: 'kind', get: (r) => t('kind_' + r.kind) }, { label: 'title_col', key: 'title' },
        { label: 'state', key: 'state' }, { label: 'created', key: 'created' }, { label: 'amount_yuan', key: 'amount_yuan' }], e.work, null, 'ent-work'))));
  for (const tr of document.querySelectorAll('#ent-work tbody tr')) {
    tr.classList.add('clickable');
    tr.addEventListener('click', () => { location.hash = '#/work/' + tr.cells[0].textContent; });
  }
}
