// Renders options the way a browser would, but to an SVG string on the server, and checks what is
// actually drawn: a builder can return a plausible-looking option that ECharts draws wrongly.
import { afterEach, describe, expect, it } from 'vitest';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { echarts } from './parts';
import { barOption } from './bar/options';
import { lineOption } from './line/options';
import { funnelOption } from './funnel/options';
import { heatmapOption } from './heatmap/options';
import { mapOption } from './map/options';
import { themeName } from './theme';

echarts.use([SVGRenderer]);

const charts: { dispose(): void }[] = [];
afterEach(() => {
  while (charts.length) charts.pop()!.dispose();
});

function render(option: EChartsOption, width = 640, height = 360, theme = 'light' as 'light' | 'dark'): string {
  const chart = echarts.init(null, themeName(theme), { renderer: 'svg', ssr: true, width, height });
  charts.push(chart);
  chart.setOption({ ...option, animation: false });
  return chart.renderToSVGString();
}

/** Shapes ECharts drew for the data items of a series (not their legend icons). */
function dataShapes(svg: string, seriesIndex: number): string[] {
  return [...svg.matchAll(/<(path|polygon) [^>]*ecmeta_series_index="(\d+)"[^>]*ecmeta_ssr_type="chart"[^>]*>/g)]
    .filter((m) => Number(m[2]) === seriesIndex)
    .map((m) => m[0]);
}

function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}

describe('server-side rendering of option builders', () => {
  it('draws one bar per value of each series and labels every category', () => {
    const svg = render(barOption(
      { categories: ['Amman', 'Zarqa', 'Irbid', 'Aqaba'], series: [{ name: 'facebook', values: [12, 5, 7, null] }, { name: 'google', values: [3, 8, 1, 2] }] },
      { labels: true, locale: 'en-US' },
    ));
    expect(dataShapes(svg, 0)).toHaveLength(3);
    expect(dataShapes(svg, 1)).toHaveLength(4);
    const labels = texts(svg);
    for (const city of ['Amman', 'Zarqa', 'Irbid', 'Aqaba']) expect(labels).toContain(city);
    // value labels, formatted as counts
    expect(labels).toEqual(expect.arrayContaining(['12', '5', '7', '3', '8', '1', '2']));
    // the legend names both series
    expect(labels).toEqual(expect.arrayContaining(['facebook', 'google']));
  });

  it('draws horizontal bars longer for bigger values', () => {
    const svg = render(barOption({ categories: ['small', 'big'], series: [{ name: 'n', values: [10, 40] }] }, { orientation: 'horizontal' }));
    const widths = dataShapes(svg, 0).map((path) => {
      const d = /d="M[\d.]+ [\d.]+l([\d.]+) /.exec(path);
      return Number(d?.[1]);
    });
    expect(widths).toHaveLength(2);
    expect(widths[1]! / widths[0]!).toBeCloseTo(4, 0);
  });

  it('draws the previous period as a second, dashed line', () => {
    const svg = render(lineOption(
      { periods: ['2026-01-01', '2026-02-01', '2026-03-01'], series: [{ name: 'Contacts', values: [4, 6, 5] }], previous: [{ name: 'Contacts', values: [3, 3, 4] }] },
      { grain: 'month', locale: 'en-US' },
    ));
    expect(svg.match(/stroke-dasharray/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Jan 2026', 'Feb 2026', 'Mar 2026', 'Contacts', 'Contacts (previous period)']));
  });

  it('draws one funnel segment per stage, labelled', () => {
    const svg = render(funnelOption({ stages: [
      { name: 'none', reached: 100 }, { name: 'attempted', reached: 60, conversionPct: 60 }, { name: 'met', reached: 20, conversionPct: 33.3 },
    ] }, { locale: 'en-US' }));
    expect(dataShapes(svg, 0)).toHaveLength(3);
    expect(texts(svg)).toEqual(expect.arrayContaining(['none: 100', 'attempted: 60 · 60%', 'met: 20 · 33.3%']));
  });

  it('draws one heatmap cell per value', () => {
    const svg = render(heatmapOption({ cells: [
      { year: 2024, week: 1, value: 3 }, { year: 2024, week: 2, value: 9 }, { year: 2025, week: 1, value: 5 },
    ] }), 800, 300, 'dark');
    expect(dataShapes(svg, 0)).toHaveLength(3);
    expect(texts(svg)).toEqual(expect.arrayContaining(['2024', '2025']));
  });

  it('draws a bubble per place with demand and marks demand without capacity', () => {
    const svg = render(mapOption({ points: [
      { id: '1', name: 'Amman', longitude: 35.93, latitude: 31.95, demand: 100, supply: 20 },
      { id: '2', name: 'Irbid', longitude: 35.85, latitude: 32.55, demand: 25, supply: 0 },
      { id: '3', name: 'Aqaba', longitude: 35.0, latitude: 29.53, demand: 4, supply: 5 },
    ] }, { aspect: 640 / 360 }));
    expect(dataShapes(svg, 0)).toHaveLength(3);
    expect(dataShapes(svg, 1)).toHaveLength(2);
    expect(dataShapes(svg, 2)).toHaveLength(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Amman', 'Irbid', 'Aqaba']));
  });
});

describe('tooltips', () => {
  it('are drawn on the canvas, never as HTML (names from the data are untrusted; HTML tooltips need inline styles)', () => {
    const options = [
      barOption({ categories: ['<img src=x onerror=alert(1)>'], series: [{ name: 'n', values: [1] }] }),
      lineOption({ periods: ['a'], series: [{ name: 'n', values: [1] }] }),
      funnelOption({ stages: [{ name: 'none', reached: 1 }] }),
      heatmapOption({ cells: [{ year: 2025, week: 1, value: 1 }] }),
      mapOption({ points: [{ id: '1', name: 'x', longitude: 1, latitude: 1, demand: 1, supply: 1 }] }),
    ] as Record<string, any>[];
    for (const option of options) expect(option.tooltip.renderMode).toBe('richText');
  });
});
