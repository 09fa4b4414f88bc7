// Bounding boxes, longitude wrapping, screen-space binning and graticule lines. Pure: no Leaflet.

/** `[minLon, minLat, maxLon, maxLat]` as the GraphQL schema takes it. minLon > maxLon crosses the antimeridian. */
export type BBox = [number, number, number, number];

export interface LatLonBounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** Longitude into [-180, 180]. */
export function normalizeLon(lon: number): number {
  if (lon >= -180 && lon <= 180) return lon;
  const x = (((lon + 180) % 360) + 360) % 360 - 180;
  return x === -180 && lon > 0 ? 180 : x;
}

/**
 * The schema's bbox for what a map shows. The map's west/east may run past ±180 when the world
 * wraps; a view 360° wide or wider is the whole world; a view across the antimeridian gives
 * minLon > maxLon. Latitudes are clamped to [-90, 90]; numbers rounded to 6 decimals (~0.1 m).
 */
export function bboxFromBounds(b: LatLonBounds): BBox {
  const south = Math.max(-90, Math.min(90, b.south));
  const north = Math.max(-90, Math.min(90, b.north));
  if (b.east - b.west >= 360) return [-180, round6(south), 180, round6(north)];
  let west = normalizeLon(b.west);
  let east = normalizeLon(b.east);
  if (west === 180 && b.east > b.west) west = -180;
  if (east === -180 && b.east > b.west) east = 180;
  return [round6(west), round6(south), round6(east), round6(north)];
}

export function bboxContains(bbox: BBox, lon: number, lat: number): boolean {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  if (lat < minLat || lat > maxLat) return false;
  const x = normalizeLon(lon);
  return minLon <= maxLon ? x >= minLon && x <= maxLon : x >= minLon || x <= maxLon;
}

/** The copy of `lon` (lon + k·360) nearest to `centerLon`, so markers show on the world copy in view. */
export function wrapLonNear(lon: number, centerLon: number): number {
  return lon + 360 * Math.round((centerLon - lon) / 360);
}

export interface Binned<T> {
  items: T[];
  /** Mean screen position of the items. */
  x: number;
  y: number;
}

/**
 * Grid binning in screen pixels: every item falls in a `cellPx` square; a square with one item is
 * a single marker, with more a cluster. Deterministic: bins are returned in the order their first
 * item appeared.
 */
export function binByGrid<T>(items: readonly T[], pos: (t: T) => { x: number; y: number }, cellPx: number): Binned<T>[] {
  const cells = new Map<string, { items: T[]; sx: number; sy: number }>();
  for (const it of items) {
    const p = pos(it);
    const key = `${Math.floor(p.x / cellPx)}:${Math.floor(p.y / cellPx)}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { items: [], sx: 0, sy: 0 }));
    c.items.push(it);
    c.sx += p.x;
    c.sy += p.y;
  }
  return [...cells.values()].map((c) => ({ items: c.items, x: c.sx / c.items.length, y: c.sy / c.items.length }));
}

/** Graticule spacing in degrees for a zoom level: about 4–10 lines across a typical screen. */
export function graticuleStep(zoom: number): number {
  if (zoom <= 2) return 30;
  if (zoom <= 3) return 20;
  if (zoom <= 4) return 10;
  if (zoom <= 5) return 5;
  if (zoom <= 7) return 2;
  if (zoom <= 8) return 1;
  if (zoom <= 10) return 0.5;
  if (zoom <= 12) return 0.1;
  return 0.05;
}

export interface GraticuleLine {
  kind: 'meridian' | 'parallel';
  value: number;
  /** [lat, lon] pairs, as Leaflet takes them. */
  points: [number, number][];
}

/**
 * Meridians and parallels at multiples of `step` covering the view (in unwrapped map longitudes,
 * so they continue across the antimeridian). Parallels stop at ±85° (Web Mercator's edge).
 */
export function graticuleLines(b: LatLonBounds, step: number): GraticuleLine[] {
  const lines: GraticuleLine[] = [];
  const south = Math.max(-85, b.south);
  const north = Math.min(85, b.north);
  const fix = (x: number) => Math.round(x * 1e9) / 1e9;
  for (let lon = Math.ceil(b.west / step) * step; lon <= b.east && lines.length < 2000; lon += step) {
    lines.push({ kind: 'meridian', value: fix(lon), points: [[south, fix(lon)], [north, fix(lon)]] });
  }
  for (let lat = Math.ceil(south / step) * step; lat <= north && lines.length < 4000; lat += step) {
    lines.push({ kind: 'parallel', value: fix(lat), points: [[fix(lat), b.west], [fix(lat), b.east]] });
  }
  return lines;
}
