// AQI bands as served by `aqiScale(standard)`, and lookups on them. Pure: no DOM.

export const STANDARDS = ['US_EPA_2024', 'UK_DAQI', 'EU_EAQI_2024'] as const;
export type AqiStandard = (typeof STANDARDS)[number];

export const STANDARD_LABELS: Record<AqiStandard, string> = {
  US_EPA_2024: 'US EPA (2024)',
  UK_DAQI: 'UK DAQI',
  EU_EAQI_2024: 'EU EAQI (2024)',
};

export interface AqiBand {
  category: string;
  color: string | null;
  minIndex: number;
  maxIndex: number;
}

/** Colour for a sensor with no index under the chosen standard. */
export const NO_DATA_COLOR = '#9e9e9e';

export function isStandard(s: string | null | undefined): s is AqiStandard {
  return !!s && (STANDARDS as readonly string[]).includes(s);
}

/**
 * The band an index falls in. Bands are inclusive at both ends; an index above the top band
 * reports the top band (the scale never wraps), below the first band the first one. Gaps between
 * bands (US EPA has none, but a server may round) go to the band below.
 */
export function bandFor(index: number | null | undefined, bands: readonly AqiBand[]): AqiBand | undefined {
  if (index == null || !Number.isFinite(index) || bands.length === 0) return undefined;
  const sorted = [...bands].sort((a, b) => a.minIndex - b.minIndex);
  if (index < sorted[0].minIndex) return sorted[0];
  let found = sorted[0];
  for (const b of sorted) {
    if (index >= b.minIndex) found = b;
    else break;
  }
  return found;
}

/** The colour for an index: the reading's own colour wins, then the band's, then grey. */
export function colorFor(index: number | null | undefined, bands: readonly AqiBand[], own?: string | null): string {
  if (own && isCssHexColor(own)) return own;
  return bandFor(index, bands)?.color ?? NO_DATA_COLOR;
}

export function isCssHexColor(s: string): boolean {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(s);
}

/** Black or white, whichever reads better on a background colour (WCAG relative luminance). */
export function textColorOn(background: string): '#000' | '#fff' {
  if (!isCssHexColor(background)) return '#000';
  let h = background.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return lum > 0.179 ? '#000' : '#fff';
}

/** "0–50", or "4" for a one-value band (EU EAQI). */
export function bandRangeLabel(b: AqiBand): string {
  return b.minIndex === b.maxIndex ? String(b.minIndex) : `${b.minIndex}–${b.maxIndex}`;
}
