import { describe, expect, it } from 'vitest';
import { mergeAlert } from '../src/alerts';
import { backoffMs } from '../src/backoff';
import { niceCeil, segments } from '../src/chart';
import { DEFAULT_CONFIG, mergeConfig } from '../src/config';
import { describeErrors, endpointUrls } from '../src/gql';
import { fetchAllPages } from '../src/paging';
import { panelWindow } from '../src/panel';
import type { Alert, Connection } from '../src/types';

describe('fetchAllPages (a test double for the sensors connection)', () => {
  const pages: Record<string, Connection<number>> = {
    start: { totalCount: 5, pageInfo: { hasNextPage: true, endCursor: 'c2' }, edges: [{ node: 1 }, { node: 2 }] },
    c2: { totalCount: 5, pageInfo: { hasNextPage: true, endCursor: 'c4' }, edges: [{ node: 3 }, { node: 4 }] },
    c4: { totalCount: 5, pageInfo: { hasNextPage: false, endCursor: 'c5' }, edges: [{ node: 5 }] },
  };
  const fetchPage = async (after: string | null) => pages[after ?? 'start'];
  it('follows endCursor to the last page', async () => {
    const seen: (string | null)[] = [];
    const r = await fetchAllPages((a) => (seen.push(a), fetchPage(a)), { maxPages: 10 });
    expect(r).toEqual({ nodes: [1, 2, 3, 4, 5], totalCount: 5, truncated: false });
    expect(seen).toEqual([null, 'c2', 'c4']);
  });
  it('stops at maxPages and says so', async () => expect(await fetchAllPages(fetchPage, { maxPages: 2 })).toEqual({ nodes: [1, 2, 3, 4], totalCount: 5, truncated: true }));
  it('stops when cancelled', async () => {
    let n = 0;
    const r = await fetchAllPages(fetchPage, { maxPages: 10, isCancelled: () => ++n > 1 });
    expect(r.nodes).toEqual([1, 2]);
  });
  it('a repeated cursor ends the walk', async () => {
    const r = await fetchAllPages(async () => ({ pageInfo: { hasNextPage: true, endCursor: 'same' }, edges: [{ node: 1 }] }), { maxPages: 50 });
    expect(r.nodes).toEqual([1, 1]);
  });
});

describe('backoffMs', () => {
  it('grows and caps', () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
    expect(backoffMs(20, () => 0)).toBe(15_000);
  });
});

it('mergeAlert replaces by id, newest first, bounded', () => {
  const a = (id: string, t: string, state: Alert['state'] = 'ACTIVE'): Alert => ({ id, sensorId: 's', rule: 'r', state, severity: 'warning', raisedAt: t, message: '' });
  let list = mergeAlert([], a('1', '2026-01-01T00:00:00Z'));
  list = mergeAlert(list, a('2', '2026-01-02T00:00:00Z'));
  list = mergeAlert(list, a('1', '2026-01-01T00:00:00Z', 'CLEARED'));
  expect(list.map((x) => `${x.id}:${x.state}`)).toEqual(['2:ACTIVE', '1:CLEARED']);
  expect(mergeAlert(list, a('3', '2026-01-03T00:00:00Z'), 2).map((x) => x.id)).toEqual(['3', '2']);
});

it('segments split at gaps', () => {
  const p = (h: number) => ({ periodStart: new Date(Date.UTC(2026, 0, 1, h)).toISOString(), mean: 1, min: 1, max: 1 });
  expect(segments([p(3), p(0), p(1), p(5)], 3_600_000).map((s) => s.length)).toEqual([2, 1, 1]);
});

it('niceCeil', () => expect([7, 10, 13, 37, 180, 501].map(niceCeil)).toEqual([10, 10, 20, 50, 200, 1000]));

it('panelWindow: 48 h hourly and 90 days daily, to the end of the current hour', () => {
  const w = panelWindow(new Date('2026-11-23T10:20:00Z'));
  expect(w.to.toISOString()).toBe('2026-11-23T11:00:00.000Z');
  expect(w.hourFrom.toISOString()).toBe('2026-11-21T11:00:00.000Z');
  expect(w.dayFrom.toISOString()).toBe('2026-08-25T00:00:00.000Z');
});

describe('config', () => {
  it('merges known keys of the right type only', () => {
    const c = mergeConfig(DEFAULT_CONFIG, { tileUrl: '/tiles/{z}/{x}/{y}.png', zoom: 'x', center: [1, 2], graphqlPath: '' });
    expect(c.tileUrl).toBe('/tiles/{z}/{x}/{y}.png');
    expect(c.zoom).toBe(DEFAULT_CONFIG.zoom);
    expect(c.center).toEqual([1, 2]);
    expect(c.graphqlPath).toBe('graphql');
  });
  it('defaults contact no host: no tiles', () => expect(DEFAULT_CONFIG.tileUrl).toBe(''));
});

it('endpointUrls: same origin, ws scheme for subscriptions', () => {
  expect(endpointUrls('graphql', 'http://127.0.0.1:5080/')).toEqual({ http: 'http://127.0.0.1:5080/graphql', ws: 'ws://127.0.0.1:5080/graphql' });
  expect(endpointUrls('graphql', 'https://aq.example/app/')).toEqual({ http: 'https://aq.example/app/graphql', ws: 'wss://aq.example/app/graphql' });
});

it('describeErrors', () =>
  expect(describeErrors([{ message: 'Too complex', extensions: { code: 'COMPLEXITY' } }, { message: 'x', path: ['sensor', 'aqi'] }])).toBe(
    'Too complex [COMPLEXITY]; x (at sensor.aqi)',
  ));
