// Run-time settings: <meta name="airquality:*"> tags in index.html, overridden by config.json next to
// the page. The build ships a config.json with the defaults (public/config.json); a deployment replaces
// that file. Defaults contact no outside host: no map tiles.

export interface DashboardConfig {
  /** e.g. "https://tiles.example/{z}/{x}/{y}.png"; empty = no tiles, plain background + graticule. */
  tileUrl: string;
  tileAttribution: string;
  tileMaxZoom: number;
  graphqlPath: string;
  exportPath: string;
  /** Initial view. */
  center: [number, number];
  zoom: number;
}

export const DEFAULT_CONFIG: DashboardConfig = {
  tileUrl: '',
  tileAttribution: '',
  tileMaxZoom: 18,
  graphqlPath: 'graphql',
  exportPath: 'api/v1/export.csv',
  center: [48, 10],
  zoom: 4,
};

/** Merges a partial, untrusted config object over a base; wrong types are ignored. */
export function mergeConfig(base: DashboardConfig, raw: unknown): DashboardConfig {
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Record<string, unknown>;
  const out = { ...base };
  if (typeof r.tileUrl === 'string') out.tileUrl = r.tileUrl;
  if (typeof r.tileAttribution === 'string') out.tileAttribution = r.tileAttribution;
  if (typeof r.tileMaxZoom === 'number' && r.tileMaxZoom > 0) out.tileMaxZoom = r.tileMaxZoom;
  if (typeof r.graphqlPath === 'string' && r.graphqlPath) out.graphqlPath = r.graphqlPath;
  if (typeof r.exportPath === 'string' && r.exportPath) out.exportPath = r.exportPath;
  if (Array.isArray(r.center) && r.center.length === 2 && r.center.every((n) => typeof n === 'number' && Number.isFinite(n)))
    out.center = [r.center[0] as number, r.center[1] as number];
  if (typeof r.zoom === 'number' && Number.isFinite(r.zoom)) out.zoom = r.zoom;
  return out;
}

function fromMeta(): Record<string, unknown> {
  const get = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="airquality:${name}"]`)?.content;
  const out: Record<string, unknown> = {};
  const tileUrl = get('tile-url');
  if (tileUrl) out.tileUrl = tileUrl;
  const attribution = get('tile-attribution');
  if (attribution) out.tileAttribution = attribution;
  return out;
}

/**
 * config.json's settings as they apply over the meta tags: an empty tile URL or attribution (what the
 * shipped file says) leaves a meta tag's value standing, so shipping the file changes nothing for a
 * deployment that set the meta tags.
 */
export function fileSettings(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const out = { ...(raw as Record<string, unknown>) };
  if (out.tileUrl === '') delete out.tileUrl;
  if (out.tileAttribution === '') delete out.tileAttribution;
  return out;
}

export async function loadConfig(): Promise<DashboardConfig> {
  let cfg = mergeConfig(DEFAULT_CONFIG, fromMeta());
  try {
    const res = await fetch(new URL('config.json', document.baseURI), { headers: { Accept: 'application/json' }, cache: 'no-cache' });
    if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) cfg = mergeConfig(cfg, fileSettings(await res.json()));
  } catch {
    // No /config.json (or not JSON): the defaults and meta tags stand.
  }
  return cfg;
}
