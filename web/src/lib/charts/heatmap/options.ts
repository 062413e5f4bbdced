// Seasonality: week of the year across, years down, colour for the value. The same week in
// different years lines up vertically, so Ramadan or school holidays show as columns.
import type { EChartsOption } from 'echarts';
import { BASE, TOOLTIP, gridWithin, paletteOf, valueFormatter, type ChartSpec } from '../common';

export interface HeatCell {
  year: number;
  /** ISO week 1..53 */
  week: number;
  value: number | null;
}

export interface HeatmapData {
  cells: HeatCell[];
}

export function isHeatmapEmpty(data: HeatmapData): boolean {
  return data.cells.every((c) => c.value === null || c.value === undefined);
}

export const WEEKS = Array.from({ length: 53 }, (_, i) => String(i + 1));

export function heatmapOption(data: HeatmapData, spec: ChartSpec = {}): EChartsOption {
  const meaning = spec.meaning ?? 'count';
  const palette = paletteOf(spec);
  const years = [...new Set(data.cells.map((c) => c.year))].sort((a, b) => a - b);
  const values = data.cells.map((c) => c.value).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const max = values.length ? Math.max(...values) : 1;
  const min = values.length ? Math.min(0, ...values) : 0;
  const tooltipValue = valueFormatter(meaning, 'tooltip', spec.locale);

  return {
    ...BASE,
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: unknown) => {
        const [week, yearIndex, value] = (p as { value: [number, number, number] }).value;
        return `${years[yearIndex]}, week ${week + 1}: ${tooltipValue(value)}`;
      },
    },
    grid: gridWithin(8, 16, 56),
    xAxis: {
      type: 'category',
      data: WEEKS,
      name: 'week',
      nameLocation: 'middle',
      nameGap: 24,
      splitArea: { show: false },
      axisLabel: { interval: 3 },
    },
    yAxis: { type: 'category', data: years.map(String), splitArea: { show: false } },
    visualMap: {
      type: 'continuous',
      min,
      max: max || 1,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      itemWidth: 10,
      inRange: { color: palette.ramp },
      formatter: ((v: number) => valueFormatter(meaning, 'axis', spec.locale)(v)) as unknown as string,
    },
    series: [{
      type: 'heatmap',
      name: 'Contacts',
      data: data.cells
        .filter((c) => c.week >= 1 && c.week <= 53 && c.value !== null && c.value !== undefined)
        .map((c) => [c.week - 1, years.indexOf(c.year), c.value as number]),
      emphasis: { itemStyle: { borderColor: palette.text, borderWidth: 1 } },
      progressive: 0,
    }],
  };
}
