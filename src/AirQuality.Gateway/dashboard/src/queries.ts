// GraphQL documents, written against the schema in issue 4. One place to look when it changes.
import type { AqiStandard } from './aqi';
import type { BBox } from './geo';
import type { SensorStatus } from './types';

const AQI_FIELDS = 'index category color dominantPollutant averaging validAt';
const AGG_FIELDS = 'periodStart mean min max';
const ALERT_FIELDS = 'id sensorId rule state severity raisedAt acknowledgedAt clearedAt message';

/** Legend and marker colours. `AqiBand`'s fields are not spelled out in the issue: this is what the dashboard asks for. */
export const AQI_SCALE = /* GraphQL */ `
query AqiScale($standard: AqiStandard!) {
  aqiScale(standard: $standard) { category color minIndex: low maxIndex: high }
}`;

/**
 * `$standard` colours the markers; `$indexStandard` is the filter's, set only with an index bound (see
 * sensorVariables): the gateway leaves out every sensor without an index under a standard it is given.
 * Only what the index summary holds is asked (no dominant pollutant, no edge cursors: paging follows
 * pageInfo), so a page of 500 markers costs the gateway no call to any sensor (see BENCHMARKS.md).
 */
export const SENSORS = /* GraphQL */ `
query Sensors($bbox: [Float!], $standard: AqiStandard!, $indexStandard: AqiStandard, $country: String, $minIndex: Int,
              $maxIndex: Int, $status: SensorStatus, $first: Int, $after: String) {
  sensors(bbox: $bbox, standard: $indexStandard, country: $country, minIndex: $minIndex, maxIndex: $maxIndex,
          status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id status lastSeen
      location { latitude longitude country }
      aqi(standard: $standard) { index category color }
    } }
  }
}`;

export interface SensorFilters {
  country: string;
  minIndex: number | null;
  maxIndex: number | null;
  status: SensorStatus | null;
}

/**
 * The variables of SENSORS for one page. The standard filters only when an index bound is set: a sensor
 * with no index yet (a new one, or one without particulate readings) is still on the map, as "no data".
 */
export function sensorVariables(bbox: BBox, standard: AqiStandard, filters: SensorFilters, first: number, after: string | null): Record<string, unknown> {
  const bounded = filters.minIndex != null || filters.maxIndex != null;
  return {
    bbox,
    standard,
    indexStandard: bounded ? standard : null,
    country: filters.country || null,
    minIndex: filters.minIndex,
    maxIndex: filters.maxIndex,
    status: filters.status,
    first,
    after,
  };
}

/** The zoomed-out map: sensors counted per geohash cell, coloured by the worst index under `$standard`. */
export const SENSOR_GRID = /* GraphQL */ `
query SensorGrid($bbox: [Float!]!, $standard: AqiStandard!, $precision: Int) {
  sensorGrid(bbox: $bbox, standard: $standard, precision: $precision) {
    key precision latitude longitude bbox count online stale aqiMax category color
  }
}`;

const SENSOR_DETAIL = `
  id status lastSeen
  location { latitude longitude altitude country indoor }
  latest { quantity value unit timestamp }
  usEpa: aqi(standard: US_EPA_2024) { ${AQI_FIELDS} }
  ukDaqi: aqi(standard: UK_DAQI) { ${AQI_FIELDS} }
  euEaqi: aqi(standard: EU_EAQI_2024) { ${AQI_FIELDS} }`;

export const SENSOR = /* GraphQL */ `
query Sensor($id: ID!, $hourFrom: DateTime!, $dayFrom: DateTime!, $to: DateTime!) {
  sensor(id: $id) {
    ${SENSOR_DETAIL}
    pm25Hourly: history(quantity: "pm25", from: $hourFrom, to: $to, interval: HOUR) { ${AGG_FIELDS} }
    pm10Hourly: history(quantity: "pm10", from: $hourFrom, to: $to, interval: HOUR) { ${AGG_FIELDS} }
    pm25Daily: history(quantity: "pm25", from: $dayFrom, to: $to, interval: DAY) { ${AGG_FIELDS} }
    pm10Daily: history(quantity: "pm10", from: $dayFrom, to: $to, interval: DAY) { ${AGG_FIELDS} }
    alerts { ${ALERT_FIELDS} }
  }
}`;

/** A marker's colour after an alert event for a sensor in view. */
export const SENSOR_SUMMARY = /* GraphQL */ `
query SensorSummary($id: ID!, $standard: AqiStandard!) {
  sensor(id: $id) {
    id status lastSeen
    location { latitude longitude country }
    aqi(standard: $standard) { index category color dominantPollutant }
  }
}`;

export const ACTIVE_ALERTS = /* GraphQL */ `
query ActiveAlerts($first: Int) {
  alerts(state: ACTIVE, first: $first) { totalCount edges { node { ${ALERT_FIELDS} } } }
}`;

export const ACKNOWLEDGE_ALERT = /* GraphQL */ `
mutation AcknowledgeAlert($id: ID!, $note: String) {
  acknowledgeAlert(id: $id, note: $note) { ${ALERT_FIELDS} }
}`;

export const SENSOR_UPDATED = /* GraphQL */ `
subscription SensorUpdated($id: ID!) {
  sensorUpdated(id: $id) { ${SENSOR_DETAIL} }
}`;

export const ALERT_CHANGED = /* GraphQL */ `
subscription AlertChanged($bbox: [Float!]) {
  alertChanged(bbox: $bbox) { ${ALERT_FIELDS} }
}`;
