// app.js — the bureau's dashboard (hash routes: #/home, #/air, #/water, #/work[/ID],
// #/enterprise[/USCC], #/devices; the other pages are in pages/).  Every figure comes from the API
// (src/http/); the page only lays them out.
// Province cities for the ranking: the demo city's province (config.js).
import { api, setCsrf, el, t, fmt, levelColour, table, addDays, applyI18n, langSwitch } from './common.js';
import { PROVINCE_CITIES } from './config.js';
import { water } from './pages/water.js';
import { work } from './pages/work.js';
import { enterprise } from './pages/enterprise.js';
import { devices } from './pages/devices.js';

const main = document.getElementById('main');
let me = null, conf = null, mapReady = false;
const charts = [];

function chart(id) {
  const c = echarts.init(document.getElementById(id));
  charts.push(c);
  return c;
}
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

async function boot() {
  try {
    me = await api('/api/me');
  } catch (e) {
    if (e.status === 401) { location.href = '/login'; return; }
    throw e;
  }
  setCsrf(me.csrf);
  conf = await api('/api/config');
  applyI18n();
  document.getElementById('lang-slot').append(langSwitch());
  document.getElementById('who').textContent = `${me.name} (${me.role}${me.department ? '/' + me.department : ''})`;
  document.getElementById('logout').addEventListener('click', async () => {
    await api('/api/logout', { method: 'POST' }).catch(() => {});
    location.href = '/login';
  });
  window.addEventListener('hashchange', route);
  route();
}

// what the pages in pages/ get: the charts registry, the map, the account, a re-render
const ctx = {
  main,
  chart: (id) => chart(id),
  resetCharts: () => charts.splice(0).forEach((c) => c.dispose()),
  ensureMap: () => ensureMap(),
  rerender: () => route(),
  get me() { return me; },
  get conf() { return conf; },
};

function route() {
  charts.splice(0).forEach((c) => c.dispose());
  main.replaceChildren();
  document.getElementById('drawer').classList.add('hidden');
  const [page, arg] = (location.hash.replace(/^#\//, '') || 'home').split('?')[0].split('/');
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === '#/' + page);
  const pages = { home, air, water: () => water(ctx), work: () => work(ctx, arg),
    enterprise: () => enterprise(ctx, arg), devices: () => devices(ctx) };
  (pages[page] || home)().catch((e) => main.append(el('p', { class: 'error', text: e.message })));
}

async function ensureMap() {
  if (mapReady) return;
  const g = await fetch('/geo/panjin.json').then((r) => r.json());
  echarts.registerMap('panjin', g);
  mapReady = true;
}

// ---- home ----

async function home() {
  const city = conf.city;
  const now = await api('/api/air/now?city=' + encodeURIComponent(city));
  const aqiBox = el('div', { class: 'aqi-big', id: 'home-aqi', text: fmt(now.aqi) });
  aqiBox.style.background = levelColour(now.level);
  main.append(el('div', { class: 'grid' },
    el('section', { class: 'card aqi-card' }, el('h2', { text: t('aqi_now') + ' · ' + city }), aqiBox,
      el('p', { text: `${fmt(now.category)} · ${t('primary')}: ${(now.primary || []).join(', ') || '—'}` }),
      el('p', { class: 'muted', text: `${t('updated')}: ${fmt(now.time)}` }),
      el('p', { class: 'muted small', text: t('provisional') })),
    el('section', { class: 'card wide2' }, el('h2', { text: t('stations_map') }), el('div', { class: 'map', id: 'home-map' })),
    el('section', { class: 'card' }, el('h2', { text: t('warning') }), el('p', { id: 'home-warning', text: t('warning_none') })),
    el('section', { class: 'card wide' }, el('h2', { text: t('last24') }), el('div', { class: 'chart', id: 'home-24h' })),
    el('section', { class: 'card wide' }, el('h2', { text: t('last30') }), el('div', { class: 'chart', id: 'home-30d' })),
    el('section', { class: 'card' }, el('h2', {}, el('a', { href: '#/devices', text: t('devices_offline') })), el('div', { class: 'tile', id: 'home-devices-offline', text: '…' })),
    el('section', { class: 'card' }, el('h2', {}, el('a', { href: '#/devices', text: t('alarms') })), el('div', { class: 'tile', id: 'home-alarms', text: '…' })),
    el('section', { class: 'card' }, el('h2', {}, el('a', { href: '#/work', text: t('overdue') })), el('div', { class: 'tile', id: 'home-overdue', text: '…' })),
    el('section', { class: 'card wide' }, el('h2', { text: t('stations_now') }),
      table([{ label: 'station', key: 'station' }, { label: 'station_name', key: 'name' },
        { label: 'aqi', key: 'aqi', level: (r) => r.level }, { label: 'category', key: 'category' },
        { label: 'primary', get: (r) => (r.primary || []).join(', ') }, { label: 'time', key: 'time' }],
      now.stations || [], now.time ? `/api/air/hourly?by=station&city=${encodeURIComponent(city)}&from=${dayOf(now.time)}` : null, 'stations-now')),
  ));
  homeTiles().catch(() => {});
  if (!now.time) return;
  const day = dayOf(now.time);
  await ensureMap();
  const m = chart('home-map');
  const pts = (now.stations || []).filter((s) => s.lon !== null);
  m.setOption({
    tooltip: { formatter: (p) => p.data ? `${p.data.name}<br>AQI ${fmt(p.data.aqi)} ${fmt(p.data.category)}` : p.name },
    geo: { map: 'panjin', roam: true, itemStyle: { areaColor: '#eef3f7', borderColor: '#7a8b99' }, label: { show: true, fontSize: 10, color: '#556' } },
    series: [{ type: 'scatter', coordinateSystem: 'geo', symbolSize: 22,
      label: { show: true, formatter: (p) => fmt(p.data.aqi), fontSize: 10 },
      data: pts.map((s) => ({ name: s.name || s.station, code: s.station, aqi: s.aqi, category: s.category,
        value: [s.lon, s.lat, s.aqi], itemStyle: { color: levelColour(s.level), borderColor: '#333' } })) }],
  });
  m.on('click', (p) => { if (p.data && p.data.code) openStation(p.data.code, p.data.name, day); });
  // station rows open the same detail
  for (const tr of document.querySelectorAll('#stations-now tbody tr')) {
    tr.classList.add('clickable');
    tr.addEventListener('click', () => openStation(tr.cells[0].textContent, tr.cells[1].textContent, day));
  }
  const hourly = await api(`/api/air/hourly?by=city&city=${encodeURIComponent(city)}&from=${addDays(day, -1)}&to=${day}`);
  const last = hourly.items.filter((x) => x.time <= now.time).slice(-24);
  chart('home-24h').setOption({
    grid: { left: 40, right: 10, top: 20, bottom: 40 }, tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: last.map((x) => x.time.slice(5, 13).replace('T', ' ')) }, yAxis: { type: 'value' },
    series: [{ type: 'line', data: last.map((x) => ({ value: x.aqi, itemStyle: { color: levelColour(x.level) } })) }],
  });
  const daily = await api(`/api/air/daily?by=city&city=${encodeURIComponent(city)}&from=${addDays(day, -29)}&to=${day}`);
  chart('home-30d').setOption({
    grid: { left: 40, right: 10, top: 20, bottom: 40 }, tooltip: {},
    xAxis: { type: 'category', data: daily.items.map((x) => x.date.slice(5)) }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: daily.items.map((x) => ({ value: x.aqi, itemStyle: { color: levelColour(x.level) } })) }],
  });
}

// the three counters: devices offline (of all), alarms of the last 7 days, overdue open work
async function homeTiles() {
  const [dev, al, od] = await Promise.all([api('/api/devices'), api('/api/alarms?limit=1'), api('/api/work?overdue=1&limit=1')]);
  const off = dev.items.filter((d) => d.status === 'offline').length;
  document.getElementById('home-devices-offline').textContent = `${off} / ${dev.items.filter((d) => d.status !== 'unregistered').length}`;
  document.getElementById('home-alarms').textContent = String(al.total);
  document.getElementById('home-overdue').textContent = String(od.total);
  for (const [id, n] of [['home-devices-offline', off], ['home-alarms', al.total], ['home-overdue', od.total]])
    document.getElementById(id).classList.toggle('bad', n > 0);
}

function dayOf(time) {
  // the natural day an hour stamp belongs to: D 01:00 … D+1 00:00
  const d = time.slice(0, 10);
  return time.slice(11, 13) === '00' ? addDays(d, -1) : d;
}

async function openStation(code, name, day) {
  const d = document.getElementById('drawer');
  d.classList.remove('hidden');
  d.replaceChildren(el('div', { class: 'drawer-head' }, el('h2', { id: 'station-title', text: `${t('station_detail')}: ${name} (${code})` }),
    el('button', { type: 'button', text: t('close'), onclick: () => d.classList.add('hidden') })),
  el('div', { class: 'chart', id: 'station-chart' }), el('div', { id: 'station-table' }));
  const url = `/api/air/hourly?station=${encodeURIComponent(code)}&from=${addDays(day, -1)}&to=${day}`;
  const h = await api(url);
  const c = echarts.init(document.getElementById('station-chart'));
  c.setOption({
    grid: { left: 40, right: 10, top: 20, bottom: 40 }, tooltip: { trigger: 'axis' }, legend: { data: ['AQI', 'PM2.5', 'PM10'] },
    xAxis: { type: 'category', data: h.items.map((x) => x.time.slice(5, 13).replace('T', ' ')) }, yAxis: { type: 'value' },
    series: [{ name: 'AQI', type: 'line', data: h.items.map((x) => x.aqi) },
      { name: 'PM2.5', type: 'line', data: h.items.map((x) => x.values.pm25) },
      { name: 'PM10', type: 'line', data: h.items.map((x) => x.values.pm10) }],
  });
  document.getElementById('station-table').append(table([{ label: 'time', key: 'time' },
    { label: 'aqi', key: 'aqi', level: (r) => r.level }, { label: 'category', key: 'category' },
    { label: 'primary', get: (r) => (r.primary || []).join(', ') }, { label: 'PM2.5', get: (r) => r.values.pm25 },
    { label: 'PM10', get: (r) => r.values.pm10 }, { label: 'O3', get: (r) => r.values.o3 }], h.items, url, 'station-hours'));
}

// ---- air ----

const INDICATORS = [['pm25', 'PM2.5'], ['pm10', 'PM10'], ['so2', 'SO2'], ['no2', 'NO2'], ['co_p95', 'CO-95per'], ['o3_8h_p90', 'O3-8h-90per']];

async function air() {
  const city = conf.city;
  const now = await api('/api/air/now?city=' + encodeURIComponent(city));
  const year = now.time ? Number(now.time.slice(0, 4)) : new Date().getFullYear();
  const sel = el('select', { id: 'air-year' }, ...[year, year - 1, year - 2].map((y) => el('option', { value: y, text: y })));
  main.append(el('div', { class: 'toolbar' }, el('label', { text: t('year') + ' ' }, sel)), el('div', { id: 'air-body', class: 'grid' }));
  sel.addEventListener('change', () => airYear(city, Number(sel.value)));
  await airYear(city, year);
}

async function airYear(city, year) {
  charts.splice(0).forEach((c) => c.dispose());
  const body = document.getElementById('air-body');
  body.replaceChildren();
  const qc = encodeURIComponent(city);
  const [daily, annual, rank] = await Promise.all([
    api(`/api/air/daily?by=city&city=${qc}&from=${year}-01-01&to=${year}-12-31`),
    api(`/api/air/annual?by=city&city=${qc}&year=${year}`),
    api(`/api/air/rank?year=${year}&city=${PROVINCE_CITIES.map(encodeURIComponent).join(',')}`)]);
  const a = annual.items[0] || null;
  body.append(
    el('section', { class: 'card full' }, el('h2', { text: `${t('calendar')} · ${year}` }), el('div', { class: 'calendar', id: 'air-calendar' })),
    el('section', { class: 'card wide' }, el('h2', { text: t('annual') }), a ? annualTable(a, city, year) : el('p', { text: t('no_data') })),
    el('section', { class: 'card' }, el('h2', { text: t('composite') }),
      el('div', { class: 'aqi-big neutral', id: 'air-composite', text: fmt(a && a.composite_index) }),
      el('p', { text: `${t('composite_change')}: ${fmt(a && a.composite_change_pct)}` }),
      el('p', { text: `${t('good_ratio')}: ${fmt(a && a.good_ratio)} · ${t('good_days')}: ${fmt(a && a.good_days)} / ${fmt(a && a.valid_days)}` }),
      el('p', { text: `${t('rank')}: ${fmt((rank.items.find((r) => r.city === city) || {}).composite_rank)} / ${rank.items.length}` }),
      el('h3', { text: t('target') }), el('p', { class: 'muted', text: t('target_none') })),
    el('section', { class: 'card wide' }, el('h2', { text: t('rank_title') }),
      table([{ label: 'rank', key: 'rank' }, { label: 'city', key: 'city' }, { label: 'composite', key: 'composite_index' },
        { label: 'PM2.5', key: 'pm25' }, { label: 'pm25_rank', key: 'pm25_rank' }, { label: 'good_ratio', key: 'good_ratio' },
        { label: 'good_rank', key: 'good_ratio_rank' }, { label: 'valid_days', key: 'valid_days' }],
      rank.items, `/api/air/rank?year=${year}&city=${PROVINCE_CITIES.map(encodeURIComponent).join(',')}`, 'air-rank')));
  const c = chart('air-calendar');
  c.setOption({
    tooltip: { formatter: (p) => `${p.data[0]}: AQI ${fmt(p.data[1])}` },
    visualMap: { type: 'piecewise', orient: 'horizontal', left: 'center', bottom: 0, dimension: 2,
      pieces: [1, 2, 3, 4, 5, 6].map((lv) => ({ value: lv, color: levelColour(lv), label: String(lv) })) },
    calendar: { range: String(year), cellSize: ['auto', 16], top: 30, left: 40, right: 20, yearLabel: { show: false } },
    series: [{ type: 'heatmap', coordinateSystem: 'calendar',
      data: daily.items.filter((x) => x.aqi !== null).map((x) => [x.date, x.aqi, x.level]) }],
  });
}

function annualTable(a, city, year) {
  const multiple = Object.fromEntries((a.exceedances || []).map((e) => [e.item, e.multiple]));
  const rows = INDICATORS.map(([k, label]) => ({ label, value: a[k], multiple: multiple[k] ?? null }));
  const box = el('div', {},
    table([{ label: 'indicator', key: 'label' }, { label: 'value', key: 'value' }, { label: 'multiple', key: 'multiple' }], rows,
      `/api/air/annual?by=city&city=${encodeURIComponent(city)}&year=${year}`, 'air-annual'),
    el('p', { class: 'muted', text: `${t('limits')}: ${a.limits} · ${t('attained')}: ${a.attained ? t('yes') : t('no')}` }));
  return box;
}

boot().catch((e) => main.append(el('p', { class: 'error', text: e.message })));
