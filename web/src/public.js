// public.js — the disclosure page (no login): the city's AQI now, its stations, the last 30 days;
// water, credit ratings, double-random results and penalties as their APIs arrive.
import { api, el, t, fmt, levelColour, table, applyI18n, langSwitch, placeholder } from './common.js';

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
    el('section', { class: 'card' }, el('h2', { text: t('water_public') }), placeholder('water_public')),
    el('section', { class: 'card' }, el('h2', { text: t('credit') }), placeholder('credit')),
    el('section', { class: 'card' }, el('h2', { text: t('draws') }), placeholder('draws')),
    el('section', { class: 'card' }, el('h2', { text: t('penalties') }), placeholder('penalties'))));
  const c = echarts.init(document.getElementById('public-daily'));
  c.setOption({
    grid: { left: 40, right: 10, top: 20, bottom: 40 }, tooltip: {},
    xAxis: { type: 'category', data: d.daily.map((x) => x.date) }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: d.daily.map((x) => ({ value: x.aqi, itemStyle: { color: levelColour(x.level) } })) }],
  });
}
run().catch((e) => main.append(el('p', { class: 'error', text: e.message })));
