// Pieces every option builder shares. Builders are pure (data in, ECharts option out); they take
// the palette and locale as inputs so the same data gives the same option in a test and a browser.
import { formatValue, type Meaning } from '../format/format';
import { PALETTES, type ChartPalette } from './theme';

export interface ChartSpec {
  /** What the values mean, for axis labels, tooltips and value labels. */
  meaning?: Meaning;
  locale?: string | string[];
  palette?: ChartPalette;
}

export function paletteOf(spec: ChartSpec): ChartPalette {
  return spec.palette ?? PALETTES.light;
}

export function valueFormatter(meaning: Meaning, context: 'axis' | 'tooltip' | 'table', locale?: string | string[]) {
  return (value: unknown): string => {
    // ECharts hands tooltips arrays for some series ([x, y, size]); show the value dimension.
    const v = Array.isArray(value) ? value[value.length - 1] : value;
    return formatValue(v, meaning, context, { locale });
  };
}

/** Nulls stay gaps (ECharts draws '-' as missing), never zeros. */
export function gaps(values: readonly (number | null | undefined)[]): (number | '-')[] {
  return values.map((v) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v));
}

export const BASE = {
  // Animation is turned off by the action when the user prefers reduced motion.
  animationDuration: 300,
  aria: { enabled: true },
} as const;

/**
 * Tooltips are drawn on the canvas ('richText'), not as HTML: ECharts would otherwise put names
 * from the data (cities, campaigns: untrusted text) into innerHTML, and its HTML tooltips carry
 * inline style attributes that the page's Content-Security-Policy refuses.
 */
export const TOOLTIP = { renderMode: 'richText' as const, confine: true };

/** Trims a long category label for an axis (the tooltip keeps the full text). */
export function shorten(label: string, max = 18): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** Margins in px; axis labels are kept inside the chart (ECharts 6's replacement for containLabel). */
export function gridWithin(top: number, right = 24, bottom = 8, left = 8) {
  return { left, right, top, bottom, outerBoundsMode: 'same' as const, outerBoundsContain: 'axisLabel' as const };
}
