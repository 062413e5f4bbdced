import { describe, expect, it } from 'vitest';
import { barOption, isBarEmpty, type BarData } from './options';

const cities: BarData = {
  categories: ['Amman', 'Zarqa', 'Irbid'],
  series: [
    { name: 'facebook', values: [12, 5, null] },
    { name: 'google', values: [3, 8, 1] },
  ],
};

type AnyOption = Record<string, any>;

describe('barOption', () => {
  it('draws one bar series per group, with gaps for missing values', () => {
    const option = barOption(cities) as AnyOption;
    expect(option.series).toHaveLength(2);
    expect(option.series[0].data).toEqual([12, 5, '-']);
    expect(option.series.every((s: AnyOption) => s.type === 'bar' && s.stack === undefined)).toBe(true);
    expect(option.xAxis.data).toEqual(['Amman', 'Zarqa', 'Irbid']);
    expect(option.legend.show).toBe(true);
  });

  it('stacks when asked', () => {
    const option = barOption(cities, { stacked: true }) as AnyOption;
    expect(option.series.map((s: AnyOption) => s.stack)).toEqual(['total', 'total']);
  });

  it('puts categories on the y axis, top-down, when horizontal', () => {
    const option = barOption(cities, { orientation: 'horizontal' }) as AnyOption;
    expect(option.yAxis.type).toBe('category');
    expect(option.yAxis.inverse).toBe(true);
    expect(option.xAxis.type).toBe('value');
  });

  it('formats axis and tooltip by meaning', () => {
    const option = barOption(cities, { meaning: 'percent', locale: 'en-US' }) as AnyOption;
    expect(option.yAxis.axisLabel.formatter(40)).toBe('40%');
    expect(option.tooltip.valueFormatter(12.34)).toBe('12.3%');
  });

  it('hides the legend for a single series and knows when there is nothing to draw', () => {
    const one = { categories: ['a'], series: [{ name: 'contacts', values: [1] }] };
    expect((barOption(one) as AnyOption).legend.show).toBe(false);
    expect(isBarEmpty(one)).toBe(false);
    expect(isBarEmpty({ categories: ['a'], series: [{ name: 'x', values: [null] }] })).toBe(true);
    expect(isBarEmpty({ categories: [], series: [] })).toBe(true);
  });
});
