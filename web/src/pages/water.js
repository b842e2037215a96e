// pages/water.js — #/water: the city's CWQI and its change on a year, the sections on the map
// coloured by their class (GB 3838-2002), the sections' table, and one section's history (monthly
// class and main indicators).  Every figure comes from /api/water/* (the CLI's records).
import { api, el, t, fmt, table, classColour, CLASS_NAMES } from '../common.js';

// the latest year (from this one back) with a city CWQI
export async function latestWaterYear(prefix = '/api') {
  const y0 = new Date().getFullYear();
  for (let y = y0; y > y0 - 8; y--) {
    const c = await api(`${prefix}/water/cwqi?year=${y}&compare=${y - 1}`);
    const r = c.items[0];
    if (r && r.cwqi !== null) return { year: y, cwqi: r };
  }
  return { year: y0, cwqi: null };
}

export async function water(ctx) {
  const { main } = ctx;
  const { year, cwqi } = await latestWaterYear();
  const sel = el('select', { id: 'water-year' }, ...[0, 1, 2, 3, 4].map((k) => el('option', { value: year - k, text: year - k })));
  main.append(el('div', { class: 'toolbar' }, el('label', { text: t('year') + ' ' }, sel)), el('div', { id: 'water-body', class: 'grid' }));
  sel.addEventListener('change', async () => {
    const y = Number(sel.value);
    const c = await api(`/api/water/cwqi?year=${y}&compare=${y - 1}`);
    await waterYear(ctx, y, c.items[0] || null);
  });
  await waterYear(ctx, year, cwqi);
}

async function waterYear(ctx, year, cwqi) {
  ctx.resetCharts();
  const body = document.getElementById('water-body');
  body.replaceChildren();
  const [sec, pts, city] = await Promise.all([api(`/api/water/section?year=${year}`),
    api('/api/water/points?kind=section'), api(`/api/water/city?year=${year}`)]);
  const byCode = Object.fromEntries(sec.items.map((s) => [s.point, s]));
  const cs = city.items[0] || {};
  body.append(
    el('section', { class: 'card' }, el('h2', { text: t('cwqi') + ' · ' + year }),
      el('div', { class: 'aqi-big neutral', id: 'water-cwqi', text: fmt(cwqi && cwqi.cwqi) }),
      el('p', { id: 'water-cwqi-change', text: `${t('cwqi_change')}: ${fmt(cwqi && cwqi.change_pct)}` }),
      el('p', { class: 'muted', text: fmt(cwqi && cwqi.sentence) }),
      el('p', { text: `${t('share_i_iii')}: ${fmt(cs.share_i_iii)} · ${t('share_worse_v')}: ${fmt(cs.share_worse_v)}` }),
      el('p', { class: 'muted', text: fmt(cs.sentence) })),
    el('section', { class: 'card wide2' }, el('h2', { text: t('water_map') }), el('div', { class: 'map', id: 'water-map' })),
    el('section', { class: 'card' }, el('h2', { text: t('water_legend') }),
      el('ul', { class: 'legend' }, ...CLASS_NAMES.map((n) => el('li', {}, el('span', { class: 'swatch', style: `background:${classColour(n)}` }), n)))),
    el('section', { class: 'card wide' }, el('h2', { text: t('water_sections') }),
      table([{ label: 'point', key: 'point' }, { label: 'point_name', key: 'name' }, { label: 'water_class', key: 'class', colour: (r) => classColour(r.class) },
        { label: 'target_class', key: 'target_class' }, { label: 'attained', get: (r) => r.attained === null ? null : (r.attained ? t('yes') : t('no')) },
        { label: 'status', key: 'status' }, { label: 'main_pollutants', get: (r) => r.main_pollutants.join('、') }],
      sec.items, `/api/water/section?year=${year}`, 'water-sections')));
  await ctx.ensureMap();
  const m = ctx.chart('water-map');
  const data = pts.items.filter((p) => p.lon !== null).map((p) => {
    const s = byCode[p.code] || {};
    return { name: p.name, code: p.code, cls: s.class || null, value: [p.lon, p.lat],
      itemStyle: { color: classColour(s.class), borderColor: '#333' } };
  });
  m.setOption({
    tooltip: { formatter: (p) => p.data ? `${p.data.name} (${p.data.code})<br>${t('water_class')}: ${fmt(p.data.cls)}` : p.name },
    geo: { map: 'panjin', roam: true, itemStyle: { areaColor: '#eef3f7', borderColor: '#7a8b99' }, label: { show: true, fontSize: 10, color: '#556' } },
    series: [{ type: 'scatter', coordinateSystem: 'geo', symbol: 'diamond', symbolSize: 18,
      label: { show: true, formatter: (p) => fmt(p.data.cls), fontSize: 10, position: 'top' }, data }],
  });
  m.on('click', (p) => { if (p.data && p.data.code) openSection(ctx, p.data.code, p.data.name, year); });
  for (const tr of document.querySelectorAll('#water-sections tbody tr')) {
    tr.classList.add('clickable');
    tr.addEventListener('click', () => openSection(ctx, tr.cells[0].textContent, tr.cells[1].textContent, year));
  }
}

const HISTORY_ITEMS = ['CODMn', 'COD', 'NH3N', 'TP_river'];

async function openSection(ctx, code, name, year) {
  const d = document.getElementById('drawer');
  d.classList.remove('hidden');
  d.replaceChildren(el('div', { class: 'drawer-head' }, el('h2', { id: 'section-title', text: `${t('section_history')}: ${name} (${code})` }),
    el('button', { type: 'button', text: t('close'), onclick: () => d.classList.add('hidden') })),
  el('div', { class: 'chart', id: 'section-chart' }), el('div', { id: 'section-table' }));
  const url = `/api/water/section?point=${encodeURIComponent(code)}&from=${year - 4}-01-01&to=${year}-12-31&period=month`;
  const h = await api(url);
  const rows = h.items.filter((r) => r.samples > 0);
  const c = echarts.init(document.getElementById('section-chart'));
  const num = (v) => (v === null || v === undefined ? null : Number(String(v).replace('<', '')));
  c.setOption({
    grid: { left: 40, right: 40, top: 30, bottom: 40 }, tooltip: { trigger: 'axis' },
    legend: { data: [t('water_class'), ...HISTORY_ITEMS] },
    xAxis: { type: 'category', data: rows.map((r) => r.from.slice(0, 7)) },
    yAxis: [{ type: 'value', name: t('water_class'), min: 1, max: 6, interval: 1, inverse: true,
      axisLabel: { formatter: (v) => CLASS_NAMES[v - 1] || '' } }, { type: 'value', name: 'mg/L' }],
    series: [{ name: t('water_class'), type: 'line', step: 'middle',
      data: rows.map((r) => ({ value: CLASS_NAMES.indexOf(r.class) + 1 || null, itemStyle: { color: classColour(r.class) } })) },
    ...HISTORY_ITEMS.map((k) => ({ name: k, type: 'line', yAxisIndex: 1, data: rows.map((r) => num(r.values[k])) }))],
  });
  document.getElementById('section-table').append(table([{ label: 'from', key: 'from' }, { label: 'water_class', key: 'class', colour: (r) => classColour(r.class) },
    { label: 'status', key: 'status' }, { label: 'samples', key: 'samples' },
    ...HISTORY_ITEMS.map((k) => ({ label: k, get: (r) => r.values[k] }))], rows, url, 'section-history'));
}
