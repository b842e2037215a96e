// pages/devices.js — #/devices: HJ 212 devices (online/offline/never/disabled, last frame, frame
// counts), the alarms of the last 7 days, and one device's registration, state and stored values
// (/api/devices, /api/devices/{mn}, /api/alarms, /api/data).
import { api, el, t, fmt, table } from '../common.js';

const STATUS_COLOURS = { online: '#b8f0c0', offline: '#ffc9c9', never: '#e3e8ee', disabled: '#e3e8ee', unregistered: '#ffe9a8' };
export const statusColour = (s) => STATUS_COLOURS[s] || null;

export async function devices(ctx) {
  const { main } = ctx;
  const [dev, al] = await Promise.all([api('/api/devices'), api('/api/alarms?limit=200')]);
  const n = (s) => dev.items.filter((d) => d.status === s).length;
  main.append(el('div', { class: 'grid' },
    el('section', { class: 'card' }, el('h2', { text: t('devices_title') }),
      el('p', { id: 'dev-counts', text: `${t('online')}: ${n('online')} · ${t('offline')}: ${n('offline')} · ${t('never')}: ${n('never')} · ${t('total')}: ${dev.total}` })),
    el('section', { class: 'card full' }, el('h2', { text: t('devices_title') }),
      table([{ label: 'mn', key: 'mn' }, { label: 'point', key: 'point' }, { label: 'status', key: 'status', colour: (r) => statusColour(r.status) },
        { label: 'last_seen', key: 'last_seen' }, { label: 'frames', key: 'frames' }, { label: 'frames_hour', key: 'frames_hour' },
        { label: 'values', key: 'values' }, { label: 'rejected', key: 'rejected' }, { label: 'quarantined', key: 'quarantined' }],
      dev.items, '/api/devices', 'dev-list')),
    el('section', { class: 'card full' }, el('h2', { text: `${t('alarms')} · ${al.total}` }),
      table([{ label: 'time', key: 'time' }, { label: 'kind', key: 'kind' }, { label: 'mn', key: 'mn' }, { label: 'point', key: 'point' },
        { label: 'item', key: 'item' }, { label: 'value', key: 'value' }, { label: 'limit', key: 'limit' }, { label: 'message', key: 'message' }],
      al.items, '/api/alarms', 'dev-alarms'))));
  for (const tr of document.querySelectorAll('#dev-list tbody tr')) {
    tr.classList.add('clickable');
    tr.addEventListener('click', () => openDevice(tr.cells[0].textContent));
  }
}

async function openDevice(mn) {
  const d = document.getElementById('drawer');
  d.classList.remove('hidden');
  d.replaceChildren(el('div', { class: 'drawer-head' }, el('h2', { id: 'device-title', text: `${t('device')}: ${mn}` }),
    el('button', { type: 'button', text: t('close'), onclick: () => d.classList.add('hidden') })));
  const q = encodeURIComponent(mn);
  const [dev, data] = await Promise.all([api('/api/devices/' + q), api(`/api/data?mn=${q}&limit=500`)]);
  const dl = el('dl', { class: 'fields' });
  for (const k of ['point', 'st', 'protocol', 'crc', 'status', 'peer', 'connected', 'last_seen', 'last_hourly', 'frames', 'values', 'rejected'])
    dl.append(el('dt', { text: t(k) }), el('dd', { text: fmt(dev[k]) }));
  d.append(dl, el('h3', { text: `${t('device_data')} · ${data.total}` }),
    table([{ label: 'cn', key: 'cn' }, { label: 'time', key: 'time' }, { label: 'item', key: 'item' }, { label: 'rtd', key: 'rtd' },
      { label: 'avg', key: 'avg' }, { label: 'min', key: 'min' }, { label: 'max', key: 'max' }, { label: 'cou', key: 'cou' }, { label: 'flag', key: 'flag' }],
    data.items, `/api/data?mn=${q}`, 'device-data'));
}
