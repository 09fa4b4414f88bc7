// Shapes of the GraphQL results the dashboard asks for (see queries.ts).
import type { AqiStandard } from './aqi';

export type SensorStatus = 'ONLINE' | 'STALE' | 'NEVER_SEEN';
export type AlertState = 'ACTIVE' | 'ACKNOWLEDGED' | 'CLEARED';

export interface Location {
  latitude: number;
  longitude: number;
  altitude?: number | null;
  country?: string | null;
  indoor?: boolean | null;
}

export interface AqiReading {
  standard?: AqiStandard;
  index: number | null;
  category: string;
  color: string | null;
  dominantPollutant?: string | null;
  averaging?: string | null;
  validAt?: string | null;
}

export interface Measurement {
  quantity: string;
  value: number;
  unit: string;
  timestamp: string;
}

export interface Aggregate {
  periodStart: string;
  mean: number | null;
  min: number | null;
  max: number | null;
}

export interface Alert {
  id: string;
  sensorId: string;
  rule: string;
  state: AlertState;
  severity: string;
  raisedAt: string;
  acknowledgedAt?: string | null;
  clearedAt?: string | null;
  message: string;
}

export interface SensorSummary {
  id: string;
  status: SensorStatus;
  lastSeen: string | null;
  location: Location | null;
  aqi: AqiReading | null;
}

export interface SensorDetail {
  id: string;
  status: SensorStatus;
  lastSeen: string | null;
  location: Location | null;
  latest: Measurement[];
  usEpa: AqiReading | null;
  ukDaqi: AqiReading | null;
  euEaqi: AqiReading | null;
  pm25Hourly?: Aggregate[];
  pm10Hourly?: Aggregate[];
  pm25Daily?: Aggregate[];
  pm10Daily?: Aggregate[];
  alerts?: Alert[];
}

export interface Connection<T> {
  totalCount?: number | null;
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor?: string; node: T }[];
}

/** One cell of `sensorGrid`: the sensors in a geohash cell, for the zoomed-out map. */
export interface GridCell {
  key: string;
  precision: number;
  /** Mean position of the cell's sensors. */
  latitude: number;
  longitude: number;
  /** The cell's bounds, [minLon, minLat, maxLon, maxLat]. */
  bbox: [number, number, number, number];
  count: number;
  online: number;
  stale: number;
  aqiMax: number | null;
  category: string | null;
  color: string | null;
}
