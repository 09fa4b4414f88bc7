// The Leaflet map: optional tiles, a graticule, sensor markers coloured by AQI band, grid clusters.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { colorFor, textColorOn, type AqiBand } from './aqi';
import type { DashboardConfig } from './config';
import { binByGrid, bboxFromBounds, graticuleLines, graticuleStep, wrapLonNear, type BBox } from './geo';
import { cellLabel, cellRadiusPx } from './overview';
import type { GridCell, SensorSummary } from './types';

/** At this zoom and above every sensor is its own marker. */
export const CLUSTER_BELOW_ZOOM = 13;
const CELL_PX = 48;

export class SensorMap {
  readonly map: L.Map;
  private readonly graticule = L.layerGroup();
  private readonly markers = L.layerGroup();
  private sensors = new Map<string, SensorSummary>();
  private bands: AqiBand[] = [];
  private selectedId: string | null = null;
  /** The overview's cells while the map is zoomed out too far for single sensors; null otherwise. */
  private overview: GridCell[] | null = null;

  constructor(
    host: HTMLElement,
    cfg: DashboardConfig,
    private readonly onSelect: (id: string) => void,
    private readonly onTileError: () => void,
  ) {
    this.map = L.map(host, {
      center: cfg.center,
      zoom: cfg.zoom,
      minZoom: 2,
      maxZoom: cfg.tileMaxZoom,
      worldCopyJump: true,
      keyboard: true,
      attributionControl: !!cfg.tileUrl,
    });
    this.map.attributionControl?.setPrefix(false);
    if (cfg.tileUrl) {
      const tiles = L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: cfg.tileMaxZoom });
      let reported = false;
      tiles.on('tileerror', () => {
        if (!reported) {
          reported = true;
          this.onTileError();
        }
      });
      tiles.addTo(this.map);
    }
    this.graticule.addTo(this.map);
    this.markers.addTo(this.map);
    this.map.on('zoomend moveend', () => {
      this.drawGraticule();
      this.render();
    });
    this.drawGraticule();
  }

  bbox(): BBox {
    const b = this.map.getBounds();
    return bboxFromBounds({ west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() });
  }

  setBands(bands: AqiBand[]): void {
    this.bands = bands;
    this.render();
  }

  setSensors(list: SensorSummary[]): void {
    this.overview = null;
    this.sensors = new Map(list.filter((s) => s.location).map((s) => [s.id, s]));
    this.render();
  }

  /** Shows the overview's cells instead of single sensors (until the next setSensors). */
  setOverview(cells: GridCell[]): void {
    this.overview = cells;
    this.sensors.clear();
    this.render();
  }

  get showsOverview(): boolean {
    return this.overview !== null;
  }

  addSensors(list: SensorSummary[]): void {
    for (const s of list) if (s.location) this.sensors.set(s.id, s);
    this.render();
  }

  /** A live update of one sensor: recolours its marker in place when it is drawn alone. */
  updateSensor(s: SensorSummary): void {
    if (!s.location) return;
    const had = this.sensors.has(s.id);
    this.sensors.set(s.id, s);
    const el = this.markerElement(s.id);
    if (had && el) this.styleMarker(el, s);
    else this.render();
  }

  hasSensor(id: string): boolean {
    return this.sensors.has(id);
  }

  select(id: string | null): void {
    this.selectedId = id;
    for (const el of this.map.getContainer().querySelectorAll<HTMLElement>('[data-testid="marker"]'))
      el.classList.toggle('selected', el.dataset.sensorId === id);
  }

  focusSensor(id: string): void {
    const s = this.sensors.get(id);
    if (s?.location) this.map.setView([s.location.latitude, s.location.longitude], Math.max(this.map.getZoom(), CLUSTER_BELOW_ZOOM));
  }

  private markerElement(id: string): HTMLElement | null {
    return this.map.getContainer().querySelector<HTMLElement>(`[data-testid="marker"][data-sensor-id="${CSS.escape(id)}"]`);
  }

  private drawGraticule(): void {
    const b = this.map.getBounds();
    const view = { west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() };
    this.graticule.clearLayers();
    for (const line of graticuleLines(view, graticuleStep(this.map.getZoom()))) {
      L.polyline(line.points, { className: 'graticule', interactive: false, weight: line.value === 0 ? 1.5 : 1 }).addTo(this.graticule);
    }
  }

  private render(): void {
    this.markers.clearLayers();
    const zoom = this.map.getZoom();
    const centerLon = this.map.getCenter().lng;
    if (this.overview) {
      for (const cell of this.overview) this.addOverviewCell(cell, centerLon);
      return;
    }
    const items = [...this.sensors.values()].map((s) => ({
      s,
      latlng: L.latLng(s.location!.latitude, wrapLonNear(s.location!.longitude, centerLon)),
    }));
    const bins =
      zoom >= CLUSTER_BELOW_ZOOM
        ? items.map((it) => ({ items: [it] }))
        : binByGrid(items, (it) => this.map.project(it.latlng, zoom), CELL_PX);
    for (const bin of bins) {
      if (bin.items.length === 1) this.addMarker(bin.items[0].s, bin.items[0].latlng);
      else this.addCluster(bin.items.map((i) => i.s), bin.items.map((i) => i.latlng));
    }
  }

  private addMarker(s: SensorSummary, latlng: L.LatLng): void {
    const m = L.marker(latlng, {
      icon: L.divIcon({ className: 'aq-marker', iconSize: [18, 18] }),
      keyboard: true,
      title: '',
    });
    m.on('click', () => this.onSelect(s.id));
    m.addTo(this.markers);
    const el = m.getElement();
    if (el) {
      el.dataset.testid = 'marker';
      el.dataset.sensorId = s.id;
      el.classList.toggle('selected', s.id === this.selectedId);
      onActivateKey(el, () => this.onSelect(s.id));
      this.styleMarker(el, s);
    }
  }

  private styleMarker(el: HTMLElement, s: SensorSummary): void {
    const color = colorFor(s.aqi?.index, this.bands, s.aqi?.color);
    el.style.background = color;
    el.style.color = textColorOn(color);
    el.dataset.status = s.status;
    el.dataset.index = s.aqi?.index == null ? '' : String(s.aqi.index);
    const label = `Sensor ${s.id}: ${s.aqi?.index == null ? 'no index' : `AQI ${s.aqi.index} ${s.aqi.category}`}, ${s.status.toLowerCase().replace('_', ' ')}`;
    el.setAttribute('aria-label', label);
    el.title = label;
  }

  private addCluster(list: SensorSummary[], latlngs: L.LatLng[]): void {
    // Coloured by the worst index in the cluster: the one a reader must not miss.
    let worst: SensorSummary | undefined;
    for (const s of list) if (s.aqi?.index != null && (worst?.aqi?.index == null || s.aqi.index > worst.aqi.index)) worst = s;
    const color = colorFor(worst?.aqi?.index, this.bands, worst?.aqi?.color);
    const size = list.length < 10 ? 26 : list.length < 100 ? 32 : 40;
    const center = L.latLngBounds(latlngs).getCenter();
    const m = L.marker(center, {
      icon: L.divIcon({ className: 'aq-cluster', iconSize: [size, size], html: `<span>${list.length}</span>` }),
      keyboard: true,
    });
    const zoomIn = () => {
      const b = L.latLngBounds(latlngs);
      if (b.getNorthEast().equals(b.getSouthWest())) this.map.setView(b.getCenter(), CLUSTER_BELOW_ZOOM);
      else this.map.fitBounds(b.pad(0.2), { maxZoom: CLUSTER_BELOW_ZOOM });
    };
    m.on('click', zoomIn);
    m.addTo(this.markers);
    const el = m.getElement();
    if (el) {
      onActivateKey(el, zoomIn);
      el.dataset.testid = 'cluster';
      el.dataset.count = String(list.length);
      el.style.background = color;
      el.style.color = textColorOn(color);
      const label = `${list.length} sensors, worst ${worst?.aqi?.index == null ? 'no index' : `AQI ${worst.aqi.index}`}; press Enter to zoom in`;
      el.setAttribute('aria-label', label);
      el.title = label;
    }
  }

  private addOverviewCell(cell: GridCell, centerLon: number): void {
    const color = colorFor(cell.aqiMax, this.bands, cell.color);
    const size = 2 * cellRadiusPx(cell.count);
    const m = L.marker(L.latLng(cell.latitude, wrapLonNear(cell.longitude, centerLon)), {
      icon: L.divIcon({ className: 'aq-overview', iconSize: [size, size], html: `<span>${cell.count}</span>` }),
      keyboard: true,
    });
    // Into the cell: at its zoom the map shows its sensors (or, for a large cell, finer cells).
    const [west, south, east, north] = cell.bbox;
    const westNear = wrapLonNear(west, centerLon);
    const zoomIn = () => this.map.fitBounds(L.latLngBounds([south, westNear], [north, westNear + (east - west)]));
    m.on('click', zoomIn);
    m.addTo(this.markers);
    const el = m.getElement();
    if (el) {
      onActivateKey(el, zoomIn);
      el.dataset.testid = 'overview-cell';
      el.dataset.key = cell.key;
      el.dataset.count = String(cell.count);
      el.dataset.index = cell.aqiMax == null ? '' : String(cell.aqiMax);
      el.style.background = color;
      el.style.color = textColorOn(color);
      el.classList.toggle('has-stale', cell.stale > 0);
      const label = cellLabel(cell);
      el.setAttribute('aria-label', label);
      el.title = label;
    }
  }
}

/** Enter or Space on a focused marker acts as a click (Leaflet's own key handling is not relied on). */
function onActivateKey(el: HTMLElement, action: () => void): void {
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      action();
    }
  });
}
