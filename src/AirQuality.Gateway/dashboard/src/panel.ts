// The sensor panel: current values, AQI under each standard, hourly and daily charts, open alerts.
import { STANDARD_LABELS, textColorOn, NO_DATA_COLOR, isCssHexColor, type AqiStandard } from './aqi';
import { renderChart } from './chart';
import { buildCsvUrl, floorUtc } from './csv';
import { fmtTime, h } from './dom';
import type { Alert, AqiReading, SensorDetail } from './types';

export const HOURLY_SPAN_MS = 48 * 3_600_000;
export const DAILY_SPAN_MS = 90 * 86_400_000;

export interface PanelWindow {
  hourFrom: Date;
  dayFrom: Date;
  to: Date;
}

export function panelWindow(now: Date): PanelWindow {
  const to = new Date(floorUtc(now, 'hour').getTime() + 3_600_000);
  return { to, hourFrom: new Date(to.getTime() - HOURLY_SPAN_MS), dayFrom: new Date(floorUtc(new Date(to.getTime() - DAILY_SPAN_MS), 'day')) };
}

/** A failure whose message is written for the reader: the panel shows it next to the button that failed. */
export class ShownError extends Error {}

export interface PanelActions {
  acknowledge: (alert: Alert, note: string) => Promise<void>;
  close: () => void;
  exportPath: string;
}

const READING_KEYS: [keyof SensorDetail, AqiStandard][] = [
  ['usEpa', 'US_EPA_2024'],
  ['ukDaqi', 'UK_DAQI'],
  ['euEaqi', 'EU_EAQI_2024'],
];

export function renderPanel(host: HTMLElement, s: SensorDetail, win: PanelWindow, actions: PanelActions): void {
  const loc = s.location;
  const closeBtn = h('button', { type: 'button', class: 'close', 'aria-label': 'Close sensor panel', 'data-testid': 'panel-close' }, '×');
  closeBtn.addEventListener('click', actions.close);

  const head = h(
    'header',
    {},
    h('h2', { id: 'panel-title' }, `Sensor ${s.id}`),
    closeBtn,
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `status status-${s.status.toLowerCase()}`, 'data-testid': 'sensor-status' }, s.status.replace('_', ' ')),
      ` · last seen ${fmtTime(s.lastSeen)}`,
      loc ? ` · ${loc.latitude.toFixed(4)}, ${loc.longitude.toFixed(4)}${loc.country ? ` (${loc.country})` : ''}${loc.indoor ? ' · indoor' : ''}` : ' · no location',
    ),
  );

  const aqi = h('section', { 'aria-labelledby': 'aqi-h' }, h('h3', { id: 'aqi-h' }, 'AQI'), aqiTable(s));
  const latest = h('section', { 'aria-labelledby': 'latest-h' }, h('h3', { id: 'latest-h' }, 'Latest values'), latestTable(s));

  const hourly = h('div', { class: 'chart-host', 'data-testid': 'aqi-chart-hourly', id: 'aqi-chart-hourly' });
  const daily = h('div', { class: 'chart-host', 'data-testid': 'aqi-chart-daily', id: 'aqi-chart-daily' });
  renderChart(hourly, [
    { label: 'PM2.5', color: '#1f77b4', points: s.pm25Hourly ?? [] },
    { label: 'PM10', color: '#d62728', points: s.pm10Hourly ?? [] },
  ], { from: win.hourFrom, to: win.to, unit: 'µg/m³', title: 'PM2.5 and PM10, hourly means, last 48 hours', daily: false });
  renderChart(daily, [
    { label: 'PM2.5', color: '#1f77b4', points: s.pm25Daily ?? [] },
    { label: 'PM10', color: '#d62728', points: s.pm10Daily ?? [] },
  ], { from: win.dayFrom, to: win.to, unit: 'µg/m³', title: 'PM2.5 and PM10, daily means, last 90 days', daily: true });

  const csv = h(
    'a',
    {
      href: buildCsvUrl({ sensor: s.id, quantity: 'pm25', from: win.hourFrom, to: win.to, interval: 'hour' }, actions.exportPath),
      download: `${s.id}-pm25.csv`,
      'data-testid': 'sensor-csv-link',
    },
    'CSV: this sensor, PM2.5, 48 h',
  );

  const charts = h(
    'section',
    { 'aria-labelledby': 'charts-h' },
    h('h3', { id: 'charts-h' }, 'History'),
    h('h4', {}, '48 hours, hourly'),
    hourly,
    h('h4', {}, '90 days, daily'),
    daily,
    csv,
  );

  const open = (s.alerts ?? []).filter((a) => a.state !== 'CLEARED');
  const alerts = h(
    'section',
    { 'aria-labelledby': 'panel-alerts-h' },
    h('h3', { id: 'panel-alerts-h' }, `Open alerts (${open.length})`),
    open.length ? h('ul', { class: 'panel-alerts', 'data-testid': 'panel-alerts' }, ...open.map((a) => alertRow(a, actions))) : h('p', { class: 'muted' }, 'None.'),
  );

  host.replaceChildren(head, aqi, latest, charts, alerts);
}

function aqiTable(s: SensorDetail): HTMLElement {
  const rows = READING_KEYS.map(([key, std]) => {
    const r = s[key] as AqiReading | null;
    const color = r?.color && isCssHexColor(r.color) ? r.color : NO_DATA_COLOR;
    return h(
      'tr',
      { 'data-standard': std },
      h('th', { scope: 'row' }, STANDARD_LABELS[std]),
      h('td', {}, h('span', { class: 'aqi-chip', style: `background:${color};color:${textColorOn(color)}` }, r?.index == null ? '—' : String(r.index))),
      h('td', {}, r?.category ?? 'no data'),
      h('td', { class: 'muted' }, r?.dominantPollutant ? `${r.dominantPollutant}${r.averaging ? ` (${r.averaging})` : ''}` : ''),
    );
  });
  return h('table', { class: 'aqi-table', 'data-testid': 'aqi-table' }, h('tbody', {}, ...rows));
}

function latestTable(s: SensorDetail): HTMLElement {
  if (!s.latest.length) return h('p', { class: 'muted' }, 'No readings yet.');
  return h(
    'table',
    { class: 'latest', 'data-testid': 'latest-values' },
    h('tbody', {}, ...s.latest.map((m) => h('tr', {}, h('th', { scope: 'row' }, m.quantity), h('td', {}, `${m.value} ${m.unit}`), h('td', { class: 'muted' }, fmtTime(m.timestamp))))),
  );
}

function alertRow(a: Alert, actions: PanelActions): HTMLElement {
  const li = h(
    'li',
    { 'data-alert-id': a.id, 'data-state': a.state, class: `sev-${a.severity.toLowerCase()}` },
    h('strong', {}, `${a.severity} · ${a.rule}`),
    ` — ${a.message}`,
    h('div', { class: 'muted' }, `raised ${fmtTime(a.raisedAt)}${a.acknowledgedAt ? ` · acknowledged ${fmtTime(a.acknowledgedAt)}` : ''}`),
  );
  if (a.state === 'ACTIVE') {
    const noteId = `ack-note-${a.id}`;
    const note = h('input', { type: 'text', id: noteId, maxlength: 500, placeholder: 'note (optional)', 'data-testid': 'ack-note' });
    const btn = h('button', { type: 'button', 'data-testid': 'ack-button', 'data-alert-id': a.id }, 'Acknowledge');
    const problem = h('p', { class: 'ack-error', 'data-testid': 'ack-error', role: 'alert', hidden: true });
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      btn.textContent = 'Acknowledging…';
      problem.hidden = true;
      try {
        await actions.acknowledge(a, note.value.trim());
      } catch (e) {
        btn.disabled = false;
        btn.textContent = 'Acknowledge';
        if (e instanceof ShownError) {
          problem.textContent = e.message;
          problem.hidden = false;
        }
      }
    });
    li.append(h('div', { class: 'ack' }, h('label', { for: noteId, class: 'sr-only' }, `Note for alert ${a.id}`), note, btn), problem);
  } else {
    li.append(h('div', { class: 'muted' }, 'Acknowledged'));
  }
  return li;
}

/** A live update: replaces the AQI table, latest values and status in place (inputs keep focus). */
export function updatePanelLive(host: HTMLElement, s: SensorDetail): void {
  host.querySelector('[data-testid="aqi-table"]')?.replaceWith(aqiTable(s));
  const latest = host.querySelector('[data-testid="latest-values"]') ?? host.querySelector('#latest-h + p');
  latest?.replaceWith(latestTable(s));
  const status = host.querySelector<HTMLElement>('[data-testid="sensor-status"]');
  if (status) {
    status.textContent = s.status.replace('_', ' ');
    status.className = `status status-${s.status.toLowerCase()}`;
  }
}
