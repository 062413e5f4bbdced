// The seeker-path funnel: contacts that reached at least each stage, in D.T's order, each stage
// labelled with its count and its conversion from the stage before.
import type { EChartsOption } from 'echarts';
import { formatValue } from '../../format/format';
import { BASE, TOOLTIP, paletteOf, type ChartSpec } from '../common';

export interface FunnelStage {
  name: string;
  /** Contacts that reached at least this stage. */
  reached: number | null;
  /** Percentage points of the previous stage that reached this one (null for the first). */
  conversionPct?: number | null;
}

export interface FunnelData {
  stages: FunnelStage[];
}

export function isFunnelEmpty(data: FunnelData): boolean {
  return data.stages.length === 0 || data.stages.every((s) => !s.reached);
}

export function funnelLabel(stage: FunnelStage, locale?: string | string[]): string {
  const count = formatValue(stage.reached, 'count', 'table', { locale });
  const conversion = stage.conversionPct === null || stage.conversionPct === undefined
    ? ''
    : ` · ${formatValue(stage.conversionPct, 'percent', 'table', { locale })}`;
  return `${stage.name}: ${count}${conversion}`;
}

export function funnelOption(data: FunnelData, spec: ChartSpec = {}): EChartsOption {
  const palette = paletteOf(spec);
  const max = Math.max(0, ...data.stages.map((s) => s.reached ?? 0));
  const labels = new Map(data.stages.map((s) => [s.name, funnelLabel(s, spec.locale)]));
  return {
    ...BASE,
    color: palette.series,
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: unknown) => labels.get((p as { name: string }).name) ?? '',
    },
    series: [{
      type: 'funnel',
      name: 'Seeker path',
      // D.T's order, not sorted by size: a stage reached by more than its predecessor is a data problem worth seeing.
      sort: 'none',
      // The funnel on the left, labels beside it: narrow lower stages stay readable.
      left: 8,
      top: 8,
      bottom: 8,
      width: '58%',
      min: 0,
      max: max || 1,
      minSize: '4%',
      gap: 2,
      label: {
        show: true,
        position: 'right',
        color: palette.text,
        formatter: (p: unknown) => labels.get((p as { name: string }).name) ?? '',
      },
      labelLine: { show: true, length: 12, lineStyle: { color: palette.axis } },
      itemStyle: { borderWidth: 0 },
      data: data.stages.map((s, i) => ({
        name: s.name,
        value: s.reached ?? 0,
        itemStyle: { color: palette.series[0], opacity: 1 - (0.4 * i) / Math.max(1, data.stages.length - 1) },
      })),
    }],
  };
}
