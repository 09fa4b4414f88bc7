import { describe, expect, it } from 'vitest';
import { bboxFromBounds } from '../src/geo';
import {
  MAX_INDEX_TILES,
  OVERVIEW_BELOW_ZOOM,
  cellLabel,
  cellRadiusPx,
  geohashCellWidth,
  gridPrecisionFor,
  indexTilesCovering,
  overviewSummary,
  useOverview,
} from '../src/overview';
import { SENSOR_GRID } from '../src/queries';
import type { GridCell } from '../src/types';

const cell = (key: string, count: number, aqiMax: number | null = 42, stale = 0): GridCell => ({
  key,
  precision: key.length,
  latitude: 50,
  longitude: 10,
  bbox: [0, 45, 11.25, 50.625],
  count,
  online: count - stale,
  stale,
  aqiMax,
  category: aqiMax == null ? null : 'Good',
  color: aqiMax == null ? null : '#00e400',
});

describe('when the map shows the overview', () => {
  // The default view: zoom 4 over central Europe, a 1280 x 900 map (about 112° x 50°).
  const europeAtZoom4 = bboxFromBounds({ west: -46, south: 25, east: 66, north: 65 });
  // A regional view (20° x 11°, what zoom 6 shows of central Europe on a laptop).
  const cityView = bboxFromBounds({ west: 0, south: 44, east: 20, north: 55 });

  it('counts index tiles as the server does', () => {
    expect(indexTilesCovering([0, 0, 1, 1])).toBe(1);
    expect(indexTilesCovering([0, 0, 1.5, 1])).toBe(2);
    expect(indexTilesCovering([-180, -90, 180, 90])).toBe(256 * 128);
    // Across the antimeridian: both sides.
    expect(indexTilesCovering([179, 0, -179, 1])).toBe(2);
  });

  it('a view larger than one sensors query may cover shows the overview at any zoom', () => {
    expect(indexTilesCovering(europeAtZoom4)).toBeGreaterThan(MAX_INDEX_TILES);
    expect(useOverview(4, europeAtZoom4)).toBe(true);
    expect(useOverview(8, europeAtZoom4)).toBe(true);
  });

  it('below the threshold zoom the overview, above it single sensors', () => {
    expect(indexTilesCovering(cityView)).toBeLessThanOrEqual(MAX_INDEX_TILES);
    expect(useOverview(OVERVIEW_BELOW_ZOOM - 1, cityView)).toBe(true);
    expect(useOverview(OVERVIEW_BELOW_ZOOM, cityView)).toBe(false);
  });

  it('the whole world is an overview', () => expect(useOverview(2, [-180, -85, 180, 85])).toBe(true));
});

describe('grid precision', () => {
  it('geohash cell widths', () => expect([1, 2, 3].map(geohashCellWidth)).toEqual([45, 11.25, 1.40625]));

  it('the finest whose cells are at least 32 px wide', () => {
    expect(gridPrecisionFor(2)).toBe(2);
    expect(gridPrecisionFor(4)).toBe(2);
    expect(gridPrecisionFor(5)).toBe(3);
    expect(gridPrecisionFor(1)).toBe(1);
  });

  it('asks the server for that precision', () => expect(SENSOR_GRID).toMatch(/sensorGrid\(bbox: \$bbox, standard: \$standard, precision: \$precision\)/));
});

describe('cells', () => {
  it('grow with their count, within bounds', () => {
    const radii = [1, 10, 100, 1000, 100_000].map(cellRadiusPx);
    expect([...radii].sort((a, b) => a - b)).toEqual(radii);
    expect(radii[0]).toBe(11);
    expect(radii.at(-1)).toBe(30);
    expect(cellRadiusPx(0)).toBe(11);
  });

  it('say what they hold', () => {
    expect(cellLabel(cell('u3', 12, 160, 2))).toBe('12 sensors, worst AQI 160 Good, 2 stale; press Enter to zoom in');
    expect(cellLabel(cell('u3', 1, null))).toBe('1 sensor, no index; press Enter to zoom in');
  });

  it('the count line sums the cells and says filters wait for the zoom', () => {
    expect(overviewSummary([cell('u3', 4), cell('u0', 7)], false)).toBe('Overview: 11 sensors in 2 areas (zoom in for single sensors)');
    expect(overviewSummary([cell('u3', 1)], true)).toBe('Overview: 1 sensor in 1 area (zoom in for single sensors; filters apply there)');
    expect(overviewSummary([], false)).toBe('Overview: 0 sensors in 0 areas (zoom in for single sensors)');
  });
});
