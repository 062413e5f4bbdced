// Chart colours for light and dark mode, registered as ECharts themes (the action switches with
// chart.setTheme). The palette is colour-blind safe (Okabe–Ito order, tuned for contrast on each
// background); the same hues are CSS variables in app.css so legends in HTML match the canvas.
import type { Theme } from '../state/theme';

export interface ChartPalette {
  series: string[];
  text: string;
  muted: string;
  grid: string;
  axis: string;
  surface: string;
  /** Sequential ramp for heatmaps, low → high. */
  ramp: string[];
  /** Marks a problem (demand with no multiplier). */
  alert: string;
}

export const PALETTES: Record<Theme, ChartPalette> = {
  light: {
    series: ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#8a7a00', '#6b6b6b'],
    text: '#1f2328',
    muted: '#57606a',
    grid: '#e4e7eb',
    axis: '#8c959f',
    surface: '#ffffff',
    ramp: ['#f0f6fc', '#b6d4ee', '#6aa6d6', '#2f73b3', '#0b3d78'],
    alert: '#c62828',
  },
  dark: {
    series: ['#5aa9e6', '#f0b429', '#3fc1a0', '#e08fc0', '#8fd3ff', '#ff8a4c', '#d4c84a', '#a0a7b0'],
    text: '#e6edf3',
    muted: '#9aa5b1',
    grid: '#2d333b',
    axis: '#5c6670',
    surface: '#161b22',
    ramp: ['#1b2a3a', '#1f4b73', '#2f73b3', '#6aa6d6', '#cfe6fa'],
    alert: '#ff6b6b',
  },
};

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';

/** An ECharts theme object from a palette (plain data, so it can be tested and registered). */
export function echartsTheme(theme: Theme): Record<string, unknown> {
  const p = PALETTES[theme];
  const axis = {
    axisLine: { lineStyle: { color: p.axis } },
    axisTick: { lineStyle: { color: p.axis } },
    axisLabel: { color: p.muted },
    splitLine: { lineStyle: { color: p.grid } },
    nameTextStyle: { color: p.muted },
  };
  return {
    color: p.series,
    backgroundColor: 'transparent',
    textStyle: { color: p.text, fontFamily: FONT_FAMILY },
    legend: { textStyle: { color: p.text } },
    tooltip: {
      backgroundColor: p.surface,
      borderColor: p.grid,
      textStyle: { color: p.text },
    },
    categoryAxis: axis,
    valueAxis: axis,
    timeAxis: axis,
    visualMap: { textStyle: { color: p.muted }, inRange: { color: p.ramp } },
    funnel: { label: { color: p.text } },
  };
}

export function themeName(theme: Theme): string {
  return `handoff-${theme}`;
}
