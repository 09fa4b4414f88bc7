// Wiring: config, controls, map, sensor loading, panel, live subscriptions.
import './style.css';
import { STANDARDS, STANDARD_LABELS, bandRangeLabel, isStandard, textColorOn, type AqiBand, type AqiStandard } from './aqi';
import { AlertList } from './alerts';
import { acknowledgeFailureMessage, authFailureOf, isAuthFailure, readFailureMessage, sessionKeyStore, type AuthFailure } from './auth';
import { clearErrors, showError } from './banner';
import { loadConfig, type DashboardConfig } from './config';
import { buildCsvUrl, floorUtc, type CsvInterval } from './csv';
import { byId, h } from './dom';
import { bboxContains } from './geo';
import {
  GraphQLRequestError,
  createLiveClient,
  endpointUrls,
  gqlRequest,
  gqlSubscribe,
  isAreaTooLarge,
  setCredentials,
  type ConnectionState,
  type GraphQLErrorEntry,
  type LiveClient,
} from './gql';
import { SensorMap } from './map';
import { OVERVIEW_REFRESH_MS, gridPrecisionFor, overviewSummary, useOverview } from './overview';
import { fetchAllPages } from './paging';
import { ShownError, panelWindow, renderPanel, updatePanelLive } from './panel';
import * as Q from './queries';
import type { Alert, Connection, GridCell, SensorDetail, SensorSummary } from './types';

const PAGE_SIZE = 500;
const MAX_PAGES = 20; // 10,000 sensors in view at most; the count line says when more exist.

type Filters = Q.SensorFilters;

let cfg: DashboardConfig;
let gqlUrl = '';
let standard: AqiStandard = 'US_EPA_2024';
let bands: AqiBand[] = [];
let filters: Filters = { country: '', minIndex: null, maxIndex: null, status: null };
let sensorMap: SensorMap;
let live: LiveClient;
const apiKeys = sessionKeyStore();
let alertList: AlertList;
let loadGeneration = 0;
let loadAbort: AbortController | null = null;
let openSensorId: string | null = null;
let openDetail: SensorDetail | null = null;
let unsubscribeSensor: (() => void) | null = null;
let unsubscribeAlerts: (() => void) | null = null;
let alertBbox = '';
let lastFocus: HTMLElement | null = null;
let wasDisconnected = false;

function q<T>(
  query: string,
  variables: Record<string, unknown>,
  context: string,
  signal?: AbortSignal,
  expected?: (errors: readonly GraphQLErrorEntry[]) => boolean,
): Promise<T> {
  return gqlRequest<T>(gqlUrl, query, variables, context, signal, expected);
}

function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}

// ---- legend and standard ---------------------------------------------------------------------

async function loadScale(): Promise<void> {
  try {
    const data = await q<{ aqiScale: AqiBand[] }>(Q.AQI_SCALE, { standard }, 'AQI scale');
    bands = data.aqiScale ?? [];
  } catch {
    bands = [];
  }
  sensorMap.setBands(bands);
  renderLegend();
}

function renderLegend(): void {
  const legend = byId('legend');
  const items = bands.map((b) =>
    h('li', {}, h('span', { class: 'swatch', style: `background:${b.color ?? '#9e9e9e'};color:${textColorOn(b.color ?? '#9e9e9e')}` }, bandRangeLabel(b)), ` ${b.category}`),
  );
  items.push(h('li', {}, h('span', { class: 'swatch nodata' }, '—'), ' no data'));
  legend.replaceChildren(h('h2', {}, STANDARD_LABELS[standard]), h('ul', {}, ...items));
}

// ---- sensors in view --------------------------------------------------------------------------

async function loadSensors(): Promise<void> {
  const generation = ++loadGeneration;
  loadAbort?.abort();
  const abort = (loadAbort = new AbortController());
  const bbox = sensorMap.bbox();
  const count = byId('sensor-count');
  if (useOverview(sensorMap.map.getZoom(), bbox)) {
    await loadOverview(generation, abort.signal);
    return;
  }
  count.textContent = 'Loading sensors…';
  let first = true;
  try {
    const result = await fetchAllPages<SensorSummary>(
      async (after) => {
        const variables = Q.sensorVariables(bbox, standard, filters, PAGE_SIZE, after);
        return (await q<{ sensors: Connection<SensorSummary> }>(Q.SENSORS, variables, 'Sensors', abort.signal, isAreaTooLarge)).sensors;
      },
      {
        maxPages: MAX_PAGES,
        isCancelled: () => generation !== loadGeneration,
        onPage: (nodes) => {
          if (first) sensorMap.setSensors(nodes);
          else sensorMap.addSensors(nodes);
          first = false;
        },
      },
    );
    if (generation !== loadGeneration) return;
    if (first) sensorMap.setSensors([]);
    const total = result.totalCount ?? result.nodes.length;
    count.textContent = result.truncated
      ? `${result.nodes.length} of ${total} sensors shown (zoom in for the rest)`
      : `${result.nodes.length} sensor${result.nodes.length === 1 ? '' : 's'} in view`;
  } catch (e) {
    if ((e as Error).name === 'AbortError' || generation !== loadGeneration) return;
    if (e instanceof GraphQLRequestError && isAreaTooLarge(e.errors)) {
      // The index's limit is the server's to set: when it is tighter than this page assumed, show the overview.
      await loadOverview(generation, abort.signal);
      return;
    }
    count.textContent = 'Sensors could not be loaded';
  }
}

/** The zoomed-out map: sensors counted per area by the server (sensorGrid), coloured by the worst index. */
async function loadOverview(generation: number, signal: AbortSignal): Promise<void> {
  const count = byId('sensor-count');
  if (!sensorMap.showsOverview) count.textContent = 'Loading the overview…';
  try {
    const data = await q<{ sensorGrid: GridCell[] }>(
      Q.SENSOR_GRID,
      { bbox: sensorMap.bbox(), standard, precision: gridPrecisionFor(sensorMap.map.getZoom()) },
      'Overview',
      signal,
    );
    if (generation !== loadGeneration) return;
    sensorMap.setOverview(data.sensorGrid);
    const filtered = filters.country !== '' || filters.minIndex != null || filters.maxIndex != null || filters.status != null;
    count.textContent = overviewSummary(data.sensorGrid, filtered);
  } catch (e) {
    if ((e as Error).name === 'AbortError' || generation !== loadGeneration) return;
    sensorMap.setOverview([]);
    count.textContent = 'The overview could not be loaded';
  }
}

// ---- CSV ---------------------------------------------------------------------------------------

function updateCsvLink(): void {
  const range = byId<HTMLSelectElement>('csv-range').value;
  const interval: CsvInterval = range === '90d' ? 'day' : 'hour';
  const now = new Date();
  const to = new Date(floorUtc(now, interval).getTime() + (interval === 'day' ? 86_400_000 : 3_600_000));
  const from = new Date(to.getTime() - (range === '90d' ? 90 * 86_400_000 : range === '7d' ? 7 * 86_400_000 : 48 * 3_600_000));
  const link = byId<HTMLAnchorElement>('csv-link');
  link.href = buildCsvUrl({ bbox: sensorMap.bbox(), country: filters.country, quantity: 'pm25', from, to, interval }, exportPath());
}

function exportPath(): string {
  return new URL(cfg.exportPath, document.baseURI).pathname;
}

// ---- sensor panel ------------------------------------------------------------------------------

async function openSensor(id: string): Promise<void> {
  const panel = byId('sensor-panel');
  if (openSensorId !== id) {
    if (!openSensorId) lastFocus = document.activeElement as HTMLElement | null;
    unsubscribeSensor?.();
    unsubscribeSensor = null;
    openDetail = null;
  }
  openSensorId = id;
  sensorMap.select(id);
  panel.hidden = false;
  panel.setAttribute('aria-busy', 'true');
  if (!openDetail || openDetail.id !== id) panel.replaceChildren(h('p', { class: 'muted' }, `Loading sensor ${id}…`));
  const win = panelWindow(new Date());
  try {
    const data = await q<{ sensor: SensorDetail | null }>(
      Q.SENSOR,
      { id, hourFrom: win.hourFrom.toISOString(), dayFrom: win.dayFrom.toISOString(), to: win.to.toISOString() },
      `Sensor ${id}`,
    );
    if (openSensorId !== id) return;
    if (!data.sensor) {
      panel.replaceChildren(h('p', {}, `Sensor ${id} was not found.`));
      return;
    }
    openDetail = data.sensor;
    renderPanel(panel, data.sensor, win, { acknowledge, close: closePanel, exportPath: exportPath() });
    (panel.querySelector('h2') as HTMLElement | null)?.focus();
  } catch {
    if (openSensorId === id) panel.replaceChildren(h('p', {}, `Sensor ${id} could not be loaded.`), closeButton());
  } finally {
    panel.removeAttribute('aria-busy');
  }
  if (openSensorId === id && !unsubscribeSensor) {
    unsubscribeSensor = gqlSubscribe<{ sensorUpdated: SensorDetail }>(live, Q.SENSOR_UPDATED, { id }, `Live sensor ${id}`, (d) => onSensorUpdated(d.sensorUpdated));
  }
}

function closeButton(): HTMLElement {
  const b = h('button', { type: 'button', 'data-testid': 'panel-close' }, 'Close');
  b.addEventListener('click', closePanel);
  return b;
}

function closePanel(): void {
  unsubscribeSensor?.();
  unsubscribeSensor = null;
  openSensorId = null;
  openDetail = null;
  sensorMap.select(null);
  const panel = byId('sensor-panel');
  panel.hidden = true;
  panel.replaceChildren();
  lastFocus?.focus?.();
}

function summaryOf(s: SensorDetail): SensorSummary {
  const aqi = standard === 'US_EPA_2024' ? s.usEpa : standard === 'UK_DAQI' ? s.ukDaqi : s.euEaqi;
  return { id: s.id, status: s.status, lastSeen: s.lastSeen, location: s.location, aqi };
}

function onSensorUpdated(s: SensorDetail): void {
  if (s.id !== openSensorId || !openDetail) return;
  openDetail = { ...openDetail, ...s };
  updatePanelLive(byId('sensor-panel'), openDetail);
  const summary = summaryOf(openDetail);
  if (passesFilters(summary)) sensorMap.updateSensor(summary);
}

function passesFilters(s: SensorSummary): boolean {
  if (!s.location || !bboxContains(sensorMap.bbox(), s.location.longitude, s.location.latitude)) return false;
  if (filters.status && s.status !== filters.status) return false;
  if (filters.country && (s.location.country ?? '').toUpperCase() !== filters.country) return false;
  const i = s.aqi?.index;
  if (filters.minIndex != null && (i == null || i < filters.minIndex)) return false;
  if (filters.maxIndex != null && (i == null || i > filters.maxIndex)) return false;
  return true;
}

async function acknowledge(a: Alert, note: string): Promise<void> {
  let data: { acknowledgeAlert: Alert };
  try {
    data = await q<{ acknowledgeAlert: Alert }>(Q.ACKNOWLEDGE_ALERT, { id: a.id, note: note || null }, `Acknowledge alert ${a.id}`, undefined, isAuthFailure);
  } catch (e) {
    const failure = e instanceof GraphQLRequestError ? authFailureOf(e.errors, e.status) : null;
    if (failure) {
      // Said in the panel, where the operator looks, and the key field is where the fix goes.
      byId<HTMLInputElement>('api-key-input').focus();
      throw new ShownError(acknowledgeFailureMessage(failure));
    }
    throw e;
  }
  alertList.upsert(data.acknowledgeAlert);
  if (openSensorId === a.sensorId) await openSensor(a.sensorId);
}

// ---- API key -----------------------------------------------------------------------------------

function showKeyState(): void {
  byId('api-key-state').textContent = apiKeys.get() ? 'in use (this tab only)' : '';
  byId('api-key-forget').hidden = !apiKeys.get();
}

function onReadRefused(failure: AuthFailure): void {
  byId('auth-message').textContent = readFailureMessage(failure === 'FORBIDDEN' || apiKeys.get() !== '');
  byId('auth-banner').hidden = false;
}

function initApiKey(): void {
  const input = byId<HTMLInputElement>('api-key-input');
  input.value = apiKeys.get();
  showKeyState();
  byId('api-key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    apiKeys.save(input.value);
  });
  byId('api-key-forget').addEventListener('click', () => {
    input.value = '';
    apiKeys.forget();
  });
  byId('auth-enter-key').addEventListener('click', () => input.focus());
  apiKeys.onChange(() => {
    showKeyState();
    byId('auth-banner').hidden = true;
    // The socket's credentials are those of its connection_init: connect again with the new key, and
    // read again what a refused key may have kept from view.
    live?.reconnect();
    if (cfg) {
      void loadScale().then(loadSensors);
      void loadAlerts();
    }
  });
  setCredentials({ apiKey: () => apiKeys.get(), onReadRefused });
}

// ---- live alerts -------------------------------------------------------------------------------

async function loadAlerts(): Promise<void> {
  try {
    const data = await q<{ alerts: Connection<Alert> }>(Q.ACTIVE_ALERTS, { first: 50 }, 'Alerts');
    alertList.set(data.alerts.edges.map((e) => e.node));
  } catch {
    // shown in the banner
  }
}

const refreshSensorSoon = (() => {
  const pending = new Set<string>();
  const flush = debounce(async () => {
    const ids = [...pending];
    pending.clear();
    for (const id of ids) {
      try {
        const d = await q<{ sensor: SensorSummary | null }>(Q.SENSOR_SUMMARY, { id, standard }, `Sensor ${id}`);
        if (d.sensor && passesFilters(d.sensor)) sensorMap.updateSensor(d.sensor);
      } catch {
        // shown in the banner
      }
    }
  }, 500);
  return (id: string) => {
    pending.add(id);
    flush();
  };
})();

function onAlertChanged(a: Alert): void {
  alertList.upsert(a);
  if (sensorMap.hasSensor(a.sensorId)) refreshSensorSoon(a.sensorId);
  if (a.sensorId === openSensorId) void openSensor(a.sensorId);
}

function subscribeAlerts(): void {
  const bbox = sensorMap.bbox();
  const key = bbox.join(',');
  if (key === alertBbox && unsubscribeAlerts) return;
  alertBbox = key;
  unsubscribeAlerts?.();
  unsubscribeAlerts = gqlSubscribe<{ alertChanged: Alert }>(live, Q.ALERT_CHANGED, { bbox }, 'Live alerts', (d) => onAlertChanged(d.alertChanged));
}

function setConnectionState(s: ConnectionState, detail?: string): void {
  const el = byId('connection-state');
  el.dataset.state = s;
  const text: Record<ConnectionState, string> = { connecting: 'Connecting…', connected: 'Live', reconnecting: 'Reconnecting', closed: 'Disconnected' };
  el.textContent = detail ? `${text[s]} (${detail})` : text[s];
  if (s === 'connected') {
    // Events may have been missed while away: catch up (not on the first connect, main() loads).
    if (wasDisconnected) {
      void loadAlerts();
      void loadSensors();
      if (openSensorId) void openSensor(openSensorId);
    }
    wasDisconnected = false;
  } else if (s === 'reconnecting' || s === 'closed') {
    wasDisconnected = true;
  }
}

// ---- controls ----------------------------------------------------------------------------------

function readFilters(): Filters {
  const num = (id: string) => {
    const v = byId<HTMLInputElement>(id).value.trim();
    if (v === '') return null;
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 ? n : null;
  };
  const status = byId<HTMLSelectElement>('filter-status').value;
  return {
    country: byId<HTMLInputElement>('filter-country').value.trim().toUpperCase(),
    minIndex: num('filter-min'),
    maxIndex: num('filter-max'),
    status: status === 'ONLINE' || status === 'STALE' || status === 'NEVER_SEEN' ? status : null,
  };
}

function initControls(): void {
  const select = byId<HTMLSelectElement>('standard-select');
  select.replaceChildren(...STANDARDS.map((s) => h('option', { value: s, selected: s === standard }, STANDARD_LABELS[s])));
  select.addEventListener('change', () => {
    if (!isStandard(select.value)) return;
    standard = select.value;
    localStorage.setItem('airquality.standard', standard);
    void loadScale().then(loadSensors);
  });
  byId('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    applyFilters();
  });
  for (const id of ['filter-status']) byId(id).addEventListener('change', applyFilters);
  byId('filters').addEventListener('reset', () => setTimeout(applyFilters, 0));
  byId('csv-range').addEventListener('change', updateCsvLink);
  byId('error-dismiss').addEventListener('click', clearErrors);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && openSensorId) closePanel();
  });
}

function applyFilters(): void {
  filters = readFilters();
  updateCsvLink();
  void loadSensors();
}

// ---- start -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  cfg = await loadConfig();
  const urls = endpointUrls(cfg.graphqlPath);
  gqlUrl = urls.http;
  const saved = new URLSearchParams(location.search).get('standard') ?? localStorage.getItem('airquality.standard');
  if (isStandard(saved)) standard = saved;

  initControls();
  initApiKey();
  alertList = new AlertList(byId('alert-list'), byId('alert-count'), (id) => {
    sensorMap.focusSensor(id);
    void openSensor(id);
  });
  sensorMap = new SensorMap(byId('map'), cfg, (id) => void openSensor(id), () =>
    showError('Map tiles', 'tiles could not be loaded; showing the plain map'),
  );
  live = createLiveClient(urls.ws, setConnectionState);

  const onMove = debounce(() => {
    updateCsvLink();
    void loadSensors();
  }, 250);
  sensorMap.map.on('moveend', onMove);
  sensorMap.map.on('moveend', debounce(subscribeAlerts, 1000));

  updateCsvLink();
  await loadScale();
  void loadSensors();
  void loadAlerts();
  subscribeAlerts();

  // The overview has no live feed: read it again now and then while it is shown and the page is seen.
  setInterval(() => {
    if (sensorMap.showsOverview && document.visibilityState === 'visible') void loadSensors();
  }, OVERVIEW_REFRESH_MS);
}

main().catch((e) => showError('Dashboard', (e as Error).message));
