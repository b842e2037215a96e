// public.js — the disclosure page (no login): the city's AQI now, its stations, the last 30 days;
// water (CWQI and the sections' classes), credit rating results, double-random results and
// penalty decisions, all from /api/public/*.
import { api, el, t, fmt, levelColour, table, applyI18n, langSwitch, classColour } from './common.js';
import { latestWaterYear } from './pages/water.js';

applyI18n();
document.getElementById('lang-slot').append(langSwitch());
const main = document.getElementById('main');

async function run() {
  const d = await api('/api/public/air');
  const now = d.now;
  const card = el('section', { class: 'card aqi-card', id: 'public-aqi' },
    el('h2', { text: t('aqi_now') + ' · ' + now.city }),
    el('div', { class: 'aqi-big', style: null, text: fmt(now.aqi) }),
    el('p', { text: `${fmt(now.category)} · ${t('primary')}: ${(now.primary || []).join(', ') || '—'}` }),
    el('p', { class: 'muted', text: `${t('updated')}: ${fmt(now.time)} · ${t('provisional')}` }));
  card.querySelector('.aqi-big').style.background = levelColour(now.level);
  const chart = el('section', { class: 'card wide' }, el('h2', { text: t('last30') }), el('div', { class: 'chart', id: 'public-daily' }));
  const st = el('section', { class: 'card wide' }, el('h2', { text: t('stations_now') }),
    table([{ label: 'station_name', key: 'name' }, { label: 'station', key: 'station' },
      { label: 'aqi', key: 'aqi', level: (r) => r.level }, { label: 'category', key: 'category' },
      { label: 'primary', get: (r) => (r.primary || []).join(', ') }], now.stations || [], null, 'public-stations'));
  main.append(el('div', { class: 'grid' }, card, chart, st,
    el('section', { class: 'card wide', id: 'public-water' }, el('h2', { text: t('water_public') })),
    el('section', { class: 'card wide', id: 'public-credit' }, el('h2', { text: t('credit') })),
    el('section', { class: 'card wide', id: 'public-draws' }, el('h2', { text: t('draws') })),
    el('section', { class: 'card wide', id: 'public-penalties' }, el('h2', { text: t('penalties') }))));
  const c = echarts.init(document.getElementById('public-daily'));
  c.setOption({
    grid: { left: 40, right: 10, top: 20, bottom: 40 }, tooltip: {},
    xAxis: { type: 'category', data: d.daily.map((x) => x.date) }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: d.daily.map((x) => ({ value: x.aqi, itemStyle: { color: levelColour(x.level) } })) }],
  });
}
async function more() {
  const { year, cwqi } = await latestWaterYear('/api/public');
  const sec = await api(`/api/public/water/section?year=${year}`);
  document.getElementById('public-water').append(
    el('p', { id: 'public-cwqi', text: `${year} · ${t('cwqi')}: ${fmt(cwqi && cwqi.cwqi)} · ${t('cwqi_change')}: ${fmt(cwqi && cwqi.change_pct)}` }),
    el('p', { class: 'muted', text: fmt(cwqi && cwqi.sentence) }),
    table([{ label: 'point_name', key: 'name' }, { label: 'water_class', key: 'class', colour: (r) => classColour(r.class) },
      { label: 'target_class', key: 'target_class' }, { label: 'attained', get: (r) => r.attained === null ? null : (r.attained ? t('yes') : t('no')) }],
    sec.items, null, 'public-sections'));
  const [cr, dr, pe] = await Promise.all([api('/api/public/credit?limit=200'), api('/api/public/draws?limit=50'),
    api('/api/public/penalties?limit=200')]);
  document.getElementById('public-credit').append(table([{ label: 'uscc', key: 'uscc' }, { label: 'year', key: 'year' },
    { label: 'score', key: 'score' }, { label: 'level', key: 'level' }, { label: 'reasons', key: 'reasons' }], cr.items, null, 'public-credit-list'));
  document.getElementById('public-draws').append(table([{ label: 'id', key: 'id' }, { label: 'at', key: 'at' }, { label: 'pool', key: 'pool' },
    { label: 'seed', key: 'seed' }, { label: 'candidates', key: 'candidates' },
    { label: 'drawn', get: (r) => r.enterprises.map((e) => e.uscc).join(', ') }], dr.items, null, 'public-draws-list'));
  document.getElementById('public-penalties').append(el('p', { class: 'muted', text: `${t('total')}: ${pe.total}` }),
    table([{ label: 'title_col', key: 'title' }, { label: 'enterprise', key: 'enterprise' }, { label: 'state', key: 'state_label' },
      { label: 'updated_col', key: 'updated' }, { label: 'amount_yuan', key: 'amount_yuan' }], pe.items, null, 'public-penalties-list'));
}

run().catch((e) => main.append(el('p', { class: 'error', text: e.message })));
more().catch((e) => main.append(el('p', { class: 'error', text: e.message })));
