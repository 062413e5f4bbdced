import { describe, expect, it } from 'vitest';
import { heatmapOption, isHeatmapEmpty, WEEKS, type HeatmapData } from './options';

type AnyOption = Record<string, any>;

const seasons: HeatmapData = {
  cells: [
    { year: 2025, week: 1, value: 4 },
    { year: 2024, week: 12, value: 30 },
    { year: 2025, week: 53, value: 0 },
    { year: 2025, week: 54, value: 7 },
    { year: 2024, week: 2, value: null },
  ],
};

describe('heatmapOption', () => {
  it('puts 53 weeks across and the years in order down', () => {
    const option = heatmapOption(seasons) as AnyOption;
    expect(option.xAxis.data).toEqual(WEEKS);
    expect(option.xAxis.data).toHaveLength(53);
    expect(option.yAxis.data).toEqual(['2024', '2025']);
  });

  it('places each cell at [week-1, year row, value] and drops impossible weeks and gaps', () => {
    const option = heatmapOption(seasons) as AnyOption;
    expect(option.series[0].data).toEqual([[0, 1, 4], [11, 0, 30], [52, 1, 0]]);
    expect(option.visualMap.max).toBe(30);
    expect(option.visualMap.min).toBe(0);
  });

  it('says week and year in the tooltip', () => {
    const option = heatmapOption(seasons, { locale: 'en-US' }) as AnyOption;
    expect(option.tooltip.formatter({ value: [11, 0, 30] })).toBe('2024, week 12: 30');
  });

  it('is empty without values', () => {
    expect(isHeatmapEmpty({ cells: [{ year: 2025, week: 1, value: null }] })).toBe(true);
    expect(isHeatmapEmpty(seasons)).toBe(false);
  });
});
