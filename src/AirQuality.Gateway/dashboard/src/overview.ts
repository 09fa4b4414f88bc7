// The zoomed-out map: when a view is too large for `sensors(bbox)` (or the zoom too low for single
// markers to mean anything), the server's `sensorGrid` cells are drawn instead. Pure: no DOM, no Leaflet.
import type { BBox } from './geo';
import type { GridCell } from './types';

/** Below this zoom the map shows the overview, whatever the view's size. */
export const OVERVIEW_BELOW_ZOOM = 6;

/** The sensor index's tiles: geohash precision 3 (1.40625° square), at most 512 per `sensors` query. */
export const INDEX_TILE_DEGREES = 1.40625;
export const MAX_INDEX_TILES = 512;

/** A cell must be at least this wide on screen for its circle and count to fit. */
export const MIN_CELL_PX = 32;

/** How often the overview is read again while shown (it has no live feed; the server's lags by seconds). */
export const OVERVIEW_REFRESH_MS = 30_000;

/** The index tiles a bbox covers, counted as the server's TileScheme counts them (across the antimeridian too). */
export function indexTilesCovering(bbox: BBox): number {
  const [minLon, minLat, maxLon, maxLat] = bbox;
  const columns = 360 / INDEX_TILE_DEGREES;
  const rows = 180 / INDEX_TILE_DEGREES;
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, Math.floor(v)));
  const span = (lo: number, hi: number) => clamp((hi + 180) / INDEX_TILE_DEGREES, columns) - clamp((lo + 180) / INDEX_TILE_DEGREES, columns) + 1;
  const height = clamp((maxLat + 90) / INDEX_TILE_DEGREES, rows) - clamp((minLat + 90) / INDEX_TILE_DEGREES, rows) + 1;
  const width = minLon <= maxLon ? span(minLon, maxLon) : span(minLon, 180) + span(-180, maxLon);
  return width * height;
}

/** Whether the map shows the overview rather than single sensors. */
export function useOverview(zoom: number, bbox: BBox): boolean {
  return zoom < OVERVIEW_BELOW_ZOOM || indexTilesCovering(bbox) > MAX_INDEX_TILES;
}

/** Width in degrees of a geohash cell of `precision` characters. */
export function geohashCellWidth(precision: number): number {
  return 360 / 2 ** Math.ceil((5 * precision) / 2);
}

/** The finest grid precision (3 = the index's tiles) whose cells are at least MIN_CELL_PX wide at `zoom`. */
export function gridPrecisionFor(zoom: number): 1 | 2 | 3 {
  const px = (precision: number) => (geohashCellWidth(precision) / 360) * 256 * 2 ** zoom;
  if (px(3) >= MIN_CELL_PX) return 3;
  if (px(2) >= MIN_CELL_PX) return 2;
  return 1;
}

/** A cell's circle radius in px: grows with the log of its count, so 1 and 10,000 sensors both read. */
export function cellRadiusPx(count: number): number {
  return Math.round(Math.min(30, 11 + 5 * Math.log10(Math.max(1, count))));
}

/** The count line under the map while the overview is shown. */
export function overviewSummary(cells: readonly GridCell[], filtered: boolean): string {
  const sensors = cells.reduce((n, c) => n + c.count, 0);
  const text = `Overview: ${sensors} sensor${sensors === 1 ? '' : 's'} in ${cells.length} area${cells.length === 1 ? '' : 's'} (zoom in for single sensors`;
  return filtered ? `${text}; filters apply there)` : `${text})`;
}

/** The accessible label of a cell. */
export function cellLabel(c: GridCell): string {
  const worst = c.aqiMax == null ? 'no index' : `worst AQI ${c.aqiMax}${c.category ? ` ${c.category}` : ''}`;
  const stale = c.stale ? `, ${c.stale} stale` : '';
  return `${c.count} sensor${c.count === 1 ? '' : 's'}, ${worst}${stale}; press Enter to zoom in`;
}
