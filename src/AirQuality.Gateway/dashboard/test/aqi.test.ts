import { describe, expect, it } from 'vitest';
import { bandFor, bandRangeLabel, colorFor, NO_DATA_COLOR, textColorOn, type AqiBand } from '../src/aqi';

const US: AqiBand[] = [
  { category: 'Good', color: '#00e400', minIndex: 0, maxIndex: 50 },
  { category: 'Moderate', color: '#ffff00', minIndex: 51, maxIndex: 100 },
  { category: 'Unhealthy for Sensitive Groups', color: '#ff7e00', minIndex: 101, maxIndex: 150 },
  { category: 'Unhealthy', color: '#ff0000', minIndex: 151, maxIndex: 200 },
  { category: 'Very Unhealthy', color: '#8f3f97', minIndex: 201, maxIndex: 300 },
  { category: 'Hazardous', color: '#7e0023', minIndex: 301, maxIndex: 500 },
];
const EU: AqiBand[] = [1, 2, 3, 4, 5, 6].map((i) => ({ category: `B${i}`, color: '#00000' + i, minIndex: i, maxIndex: i }));

describe('bandFor', () => {
  it.each([
    [0, 'Good'],
    [50, 'Good'],
    [51, 'Moderate'],
    [100, 'Moderate'],
    [101, 'Unhealthy for Sensitive Groups'],
    [300, 'Very Unhealthy'],
    [301, 'Hazardous'],
    [500, 'Hazardous'],
  ])('US EPA index %i is %s', (i, name) => expect(bandFor(i, US)?.category).toBe(name));

  it('never wraps above the scale', () => expect(bandFor(987, US)?.category).toBe('Hazardous'));
  it('below the scale is the first band', () => expect(bandFor(0, EU)?.category).toBe('B1'));
  it('one-value bands (EU EAQI)', () => expect(bandFor(4, EU)?.category).toBe('B4'));
  it('ignores the order bands come in', () => expect(bandFor(120, [...US].reverse())?.category).toBe('Unhealthy for Sensitive Groups'));
  it('a gap between bands goes to the band below', () => expect(bandFor(50.5, US)?.category).toBe('Good'));
  it.each([null, undefined, Number.NaN])('no band for %s', (i) => expect(bandFor(i, US)).toBeUndefined());
  it('no band without a scale', () => expect(bandFor(10, [])).toBeUndefined());
});

describe('colorFor', () => {
  it('the reading’s own colour wins', () => expect(colorFor(10, US, '#123456')).toBe('#123456'));
  it('a malformed own colour is ignored', () => expect(colorFor(10, US, 'red;background:url(x)')).toBe('#00e400'));
  it('falls back to the band', () => expect(colorFor(160, US, null)).toBe('#ff0000'));
  it('grey without an index', () => expect(colorFor(null, US)).toBe(NO_DATA_COLOR));
});

describe('textColorOn', () => {
  it('black on yellow', () => expect(textColorOn('#ffff00')).toBe('#000'));
  it('white on maroon', () => expect(textColorOn('#7e0023')).toBe('#fff'));
  it('short hex', () => expect(textColorOn('#fff')).toBe('#000'));
});

it('bandRangeLabel', () => {
  expect(bandRangeLabel(US[1])).toBe('51–100');
  expect(bandRangeLabel(EU[2])).toBe('3');
});
