// Bar charts: one series, grouped (several series side by side) or stacked. Horizontal when the
// categories are names (cities, multipliers), so long labels stay readable.
import type { EChartsOption } from 'echarts';
import { BASE, TOOLTIP, gaps, gridWithin, paletteOf, shorten, valueFormatter, type ChartSpec } from '../common';

export interface BarSeries {
  name: string;
  values: (number | null)[];
}

export interface BarData {
  categories: string[];
  series: BarSeries[];
}

export interface BarSpec extends ChartSpec {
  orientation?: 'vertical' | 'horizontal';
  /** Stack the series (parts of one whole, e.g. queue size by state). */
  stacked?: boolean;
  /** Print each value on its bar (only sensible for few bars). */
  labels?: boolean;
}

export function isBarEmpty(data: BarData): boolean {
  return data.categories.length === 0 || data.series.every((s) => s.values.every((v) => v === null || v === undefined));
}

export function barOption(data: BarData, spec: BarSpec = {}): EChartsOption {
  const meaning = spec.meaning ?? 'count';
  const palette = paletteOf(spec);
  const horizontal = spec.orientation === 'horizontal';
  const axisValue = valueFormatter(meaning, 'axis', spec.locale);
  const categoryAxis = {
    type: 'category' as const,
    data: data.categories,
    // Horizontal bars read top-down in the data's order.
    inverse: horizontal,
    axisLabel: { formatter: (label: string) => shorten(label, horizontal ? 22 : data.categories.length <= 6 ? 24 : 12), interval: horizontal ? 0 : ('auto' as const) },
    axisTick: { alignWithLabel: true },
  };
  const valueAxis = { type: 'value' as const, axisLabel: { formatter: axisValue } };
  const multiple = data.series.length > 1;

  return {
    ...BASE,
    color: palette.series,
    legend: multiple ? { show: true, top: 0, type: 'scroll' } : { show: false },
    grid: gridWithin(multiple ? 36 : 12),
    tooltip: {
      ...TOOLTIP,
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: valueFormatter(meaning, 'tooltip', spec.locale) as (value: unknown) => string,
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: data.series.map((s) => ({
      type: 'bar' as const,
      name: s.name,
      data: gaps(s.values),
      stack: spec.stacked ? 'total' : undefined,
      barMaxWidth: 48,
      emphasis: { focus: 'series' as const },
      label: spec.labels
        ? {
            show: true,
            position: spec.stacked ? ('inside' as const) : horizontal ? ('right' as const) : ('top' as const),
            formatter: (p: { value: unknown }) => valueFormatter(meaning, 'table', spec.locale)(p.value),
          }
        : { show: false },
    })),
  };
}
