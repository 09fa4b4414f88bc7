import { describe, expect, it } from 'vitest';
import { bboxContains, bboxFromBounds, binByGrid, graticuleLines, graticuleStep, normalizeLon, wrapLonNear } from '../src/geo';

describe('normalizeLon', () => {
  it.each([
    [0, 0],
    [180, 180],
    [-180, -180],
    [190, -170],
    [-190, 170],
    [540, 180],
    [725, 5],
  ])('%d -> %d', (a, b) => expect(normalizeLon(a)).toBe(b));
});

describe('bboxFromBounds', () => {
  it('an ordinary view', () => expect(bboxFromBounds({ west: 5.1234567, south: 47.2, east: 15.5, north: 55.1 })).toEqual([5.123457, 47.2, 15.5, 55.1]));
  it('a whole-world view is [-180, 180]', () => expect(bboxFromBounds({ west: -250, south: -85, east: 200, north: 85 })).toEqual([-180, -85, 180, 85]));
  it('across the antimeridian: minLon > maxLon', () => expect(bboxFromBounds({ west: 170, south: -50, east: 190, north: -30 })).toEqual([170, -50, -170, -30]));
  it('a wrapped copy of the world', () => expect(bboxFromBounds({ west: 365, south: 0, east: 370, north: 1 })).toEqual([5, 0, 10, 1]));
  it('a view starting at +180 in the next copy', () => expect(bboxFromBounds({ west: 180, south: 0, east: 200, north: 1 })).toEqual([-180, 0, -160, 1]));
  it('a view ending at -180', () => expect(bboxFromBounds({ west: -200, south: 0, east: -180, north: 1 })).toEqual([160, 0, 180, 1]));
  it('clamps latitude', () => expect(bboxFromBounds({ west: 0, south: -95, east: 1, north: 95 })).toEqual([0, -90, 1, 90]));
});

describe('bboxContains', () => {
  it('inside and outside', () => {
    expect(bboxContains([5, 47, 15, 55], 10, 50)).toBe(true);
    expect(bboxContains([5, 47, 15, 55], 20, 50)).toBe(false);
    expect(bboxContains([5, 47, 15, 55], 10, 60)).toBe(false);
  });
  it('across the antimeridian', () => {
    expect(bboxContains([170, -50, -170, -30], 175, -40)).toBe(true);
    expect(bboxContains([170, -50, -170, -30], -175, -40)).toBe(true);
    expect(bboxContains([170, -50, -170, -30], 0, -40)).toBe(false);
  });
});

it('wrapLonNear picks the copy nearest the view', () => {
  expect(wrapLonNear(-175, 180)).toBe(185);
  expect(wrapLonNear(10, 0)).toBe(10);
  expect(wrapLonNear(10, 370)).toBe(370);
});

describe('binByGrid', () => {
  const pts = [
    { id: 'a', x: 1, y: 1 },
    { id: 'b', x: 40, y: 40 },
    { id: 'c', x: 60, y: 10 },
    { id: 'd', x: -1, y: 1 },
  ];
  const bins = binByGrid(pts, (p) => p, 50);
  it('groups by cell, in first-seen order', () => expect(bins.map((b) => b.items.map((i) => i.id))).toEqual([['a', 'b'], ['c'], ['d']]));
  it('a bin sits at the mean of its items', () => expect([bins[0].x, bins[0].y]).toEqual([20.5, 20.5]));
  it('empty input', () => expect(binByGrid([], (p: { x: number; y: number }) => p, 50)).toEqual([]));
});

describe('graticule', () => {
  it('steps shrink as the zoom grows', () => {
    const steps = [0, 2, 3, 4, 5, 7, 8, 10, 12, 15].map(graticuleStep);
    expect([...steps].sort((a, b) => b - a)).toEqual(steps);
  });
  it('lines on multiples of the step, parallels stop at 85°', () => {
    const lines = graticuleLines({ west: -25, south: -89, east: 25, north: 89 }, 10);
    expect(lines.filter((l) => l.kind === 'meridian').map((l) => l.value)).toEqual([-20, -10, 0, 10, 20]);
    const parallels = lines.filter((l) => l.kind === 'parallel').map((l) => l.value);
    expect(parallels[0]).toBe(-80);
    expect(parallels.at(-1)).toBe(80);
    expect(lines[0].points).toEqual([[-85, -20], [85, -20]]);
  });
  it('no floating-point drift', () => {
    const v = graticuleLines({ west: 0.05, south: 0, east: 0.35, north: 0.01 }, 0.1).filter((l) => l.kind === 'meridian').map((l) => l.value);
    expect(v).toEqual([0.1, 0.2, 0.3]);
  });
});
