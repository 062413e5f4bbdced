// Time series, optionally with the previous period drawn behind the current one: same colour,
// dashed and fainter, aligned by position (the first period of this window over the first period
// of the previous window), so "are we up on last quarter?" is read off one chart.
import type { EChartsOption } from 'echarts';
import { formatPeriod } from '../../format/periods';
import type { Grain } from '../../state/filters';
import { BASE, TOOLTIP, gaps, gridWithin, paletteOf, valueFormatter, type ChartSpec } from '../common';
import type { Meaning } from '../../format/format';

export interface LineSeries {
  name: string;
  values: (number | null)[];
}

export interface LineData {
  /** Period starts (ISO dates) or any labels, in time order. */
  periods: string[];
  series: LineSeries[];
  /** The previous window's values for some of the series, matched by name. */
  previous?: LineSeries[];
}

export interface LineSpec extends ChartSpec {
  grain?: Grain;
  /** Fill under a single series. */
  area?: boolean;
  /** Draw steps (for curves such as time-to-first-contact). */
  step?: boolean;
  /** Start the value axis at zero (counts: yes; latencies: yes; rates around 50%: maybe not). */
  fromZero?: boolean;
  /**
   * Periods are numbers on a true scale (days since a trial started), not labels: the x axis is a
   * value axis, and each series keeps only its own points, so two survival curves with different
   * event times are both drawn unbroken.
   */
  numericX?: { name: string; meaning?: Meaning };
}

export const PREVIOUS_SUFFIX = ' (previous period)';

export function isLineEmpty(data: LineData): boolean {
  return data.periods.length === 0 || data.series.every((s) => s.values.every((v) => v === null || v === undefined));
}

export function lineOption(data: LineData, spec: LineSpec = {}): EChartsOption {
  const meaning = spec.meaning ?? 'count';
  const palette = paletteOf(spec);
  const colourOf = (i: number) => palette.series[i % palette.series.length]!;
  const labels = spec.grain ? data.periods.map((p) => formatPeriod(p, spec.grain!, spec.locale)) : data.periods;
  const xs = data.periods.map(Number);
  // On a value axis each point carries its x; points without a value are left out, not gaps.
  const points = (values: (number | null)[]) => spec.numericX
    ? values.flatMap((v, i) => (v === null || v === undefined || !Number.isFinite(v) || !Number.isFinite(xs[i]!) ? [] : [[xs[i]!, v]]))
    : gaps(values);

  const current = data.series.map((s, i) => ({
    type: 'line' as const,
    name: s.name,
    data: points(s.values),
    color: colourOf(i),
    step: spec.step ? ('end' as const) : undefined,
    showSymbol: !spec.numericX && data.periods.length <= 24,
    symbolSize: 6,
    connectNulls: false,
    lineStyle: { width: 2 },
    areaStyle: spec.area && data.series.length === 1 ? { opacity: 0.12 } : undefined,
    emphasis: { focus: 'series' as const },
    z: 3,
  }));

  const previous = (data.previous ?? []).flatMap((p) => {
    const i = data.series.findIndex((s) => s.name === p.name);
    if (i < 0) return [];
    return [{
      type: 'line' as const,
      name: `${p.name}${PREVIOUS_SUFFIX}`,
      data: points(p.values.slice(0, data.periods.length)),
      color: colourOf(i),
      step: spec.step ? ('end' as const) : undefined,
      showSymbol: false,
      connectNulls: false,
      lineStyle: { width: 1.5, type: 'dashed' as const, opacity: 0.7 },
      itemStyle: { opacity: 0.7 },
      z: 2,
    }];
  });

  const series = [...current, ...previous];
  return {
    ...BASE,
    color: palette.series,
    legend: { show: series.length > 1, top: 0, type: 'scroll' },
    grid: gridWithin(series.length > 1 ? 36 : 12, 24, spec.numericX ? 32 : 8),
    tooltip: {
      ...TOOLTIP,
      trigger: 'axis',
      valueFormatter: valueFormatter(meaning, 'tooltip', spec.locale) as (value: unknown) => string,
    },
    xAxis: spec.numericX
      ? { type: 'value', name: spec.numericX.name, nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: valueFormatter(spec.numericX.meaning ?? 'number', 'axis', spec.locale) } }
      : { type: 'category', data: labels, boundaryGap: false },
    yAxis: { type: 'value', scale: spec.fromZero === false, axisLabel: { formatter: valueFormatter(meaning, 'axis', spec.locale) } },
    series,
  };
}
