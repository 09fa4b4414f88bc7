// The CSV export link: GET /api/v1/export.csv (issue 4). Pure.

import type { BBox } from './geo';

export type CsvInterval = 'hour' | 'day';

export interface CsvRequest {
  /** A bbox, or a sensor id (one of them). */
  bbox?: BBox;
  sensor?: string;
  country?: string;
  quantity: string;
  from: Date;
  to: Date;
  interval: CsvInterval;
}

/** ISO-8601 UTC to the second: 2026-11-23T10:00:00Z. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Start of the UTC hour (or day) at or before `d`. */
export function floorUtc(d: Date, interval: CsvInterval): Date {
  const x = new Date(d.getTime());
  x.setUTCMinutes(0, 0, 0);
  if (interval === 'day') x.setUTCHours(0);
  return x;
}

/**
 * `{path}?bbox=minLon,minLat,maxLon,maxLat&quantity=pm25&from=...&to=...&interval=hour[&country=XX]`.
 * Parameters in a fixed order; values percent-encoded (commas in bbox kept readable).
 */
export function buildCsvUrl(req: CsvRequest, path = '/api/v1/export.csv'): string {
  const parts: string[] = [];
  if (req.sensor) parts.push(`sensor=${encodeURIComponent(req.sensor)}`);
  if (req.bbox) parts.push(`bbox=${req.bbox.map((n) => String(n)).join(',')}`);
  parts.push(`quantity=${encodeURIComponent(req.quantity)}`);
  parts.push(`from=${encodeURIComponent(isoSeconds(req.from))}`);
  parts.push(`to=${encodeURIComponent(isoSeconds(req.to))}`);
  parts.push(`interval=${req.interval}`);
  const country = req.country?.trim();
  if (country) parts.push(`country=${encodeURIComponent(country.toUpperCase())}`);
  return `${path}?${parts.join('&')}`;
}
