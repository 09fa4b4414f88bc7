import { describe, expect, it } from 'vitest';
import { buildCsvUrl, floorUtc, isoSeconds } from '../src/csv';

const from = new Date('2026-11-21T10:00:00Z');
const to = new Date('2026-11-23T10:00:00Z');

describe('buildCsvUrl', () => {
  it('bbox view, hourly', () =>
    expect(buildCsvUrl({ bbox: [5.5, 47, 15.25, 55], quantity: 'pm25', from, to, interval: 'hour' })).toBe(
      '/api/v1/export.csv?bbox=5.5,47,15.25,55&quantity=pm25&from=2026-11-21T10%3A00%3A00Z&to=2026-11-23T10%3A00%3A00Z&interval=hour',
    ));
  it('adds the country filter, upper-cased and trimmed', () =>
    expect(buildCsvUrl({ bbox: [-180, -90, 180, 90], country: ' de ', quantity: 'pm25', from, to, interval: 'day' })).toMatch(/&interval=day&country=DE$/));
  it('no empty country', () => expect(buildCsvUrl({ bbox: [0, 0, 1, 1], country: '  ', quantity: 'pm25', from, to, interval: 'hour' })).not.toContain('country'));
  it('one sensor, id encoded', () =>
    expect(buildCsvUrl({ sensor: 'sc/1234 a', quantity: 'pm10', from, to, interval: 'hour' }, '/base/api/v1/export.csv')).toBe(
      '/base/api/v1/export.csv?sensor=sc%2F1234%20a&quantity=pm10&from=2026-11-21T10%3A00%3A00Z&to=2026-11-23T10%3A00%3A00Z&interval=hour',
    ));
  it('antimeridian bbox is passed as is', () =>
    expect(buildCsvUrl({ bbox: [170, -50, -170, -30], quantity: 'pm25', from, to, interval: 'hour' })).toContain('bbox=170,-50,-170,-30&'));
});

it('isoSeconds drops milliseconds', () => expect(isoSeconds(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05Z'));
it('floorUtc', () => {
  expect(floorUtc(new Date('2026-01-02T03:04:05.678Z'), 'hour').toISOString()).toBe('2026-01-02T03:00:00.000Z');
  expect(floorUtc(new Date('2026-01-02T03:04:05.678Z'), 'day').toISOString()).toBe('2026-01-02T00:00:00.000Z');
});
