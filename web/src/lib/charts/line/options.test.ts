import { describe, expect, it } from 'vitest';
import { isLineEmpty, lineOption, PREVIOUS_SUFFIX, type LineData } from './options';
import { PALETTES } from '../theme';

type AnyOption = Record<string, any>;

const demand: LineData = {
  periods: ['2026-01-01', '2026-02-01', '2026-03-01'],
  series: [{ name: 'Contacts', values: [40, null, 55] }, { name: 'Met', values: [10, 12, 9] }],
  previous: [{ name: 'Contacts', values: [30, 35, 38, 99] }, { name: 'Unknown', values: [1, 2, 3] }],
};

describe('lineOption', () => {
  it('labels periods for the grain in the locale', () => {
    const option = lineOption(demand, { grain: 'month', locale: 'en-US' }) as AnyOption;
    expect(option.xAxis.data).toEqual(['Jan 2026', 'Feb 2026', 'Mar 2026']);
  });

  it('draws the previous period dashed, in its series’ colour, cut to the current length', () => {
    const option = lineOption(demand, { palette: PALETTES.dark }) as AnyOption;
    expect(option.series.map((s: AnyOption) => s.name)).toEqual(['Contacts', 'Met', `Contacts${PREVIOUS_SUFFIX}`]);
    const [contacts, , previous] = option.series;
    expect(previous.lineStyle.type).toBe('dashed');
    expect(previous.color).toBe(contacts.color);
    expect(contacts.color).toBe(PALETTES.dark.series[0]);
    expect(previous.data).toEqual([30, 35, 38]);
  });

  it('keeps gaps as gaps', () => {
    const option = lineOption(demand) as AnyOption;
    expect(option.series[0].data).toEqual([40, '-', 55]);
    expect(option.series[0].connectNulls).toBe(false);
  });

  it('draws steps for curves and formats durations', () => {
    const option = lineOption({ periods: ['0', '1'], series: [{ name: 'x', values: [1, 2] }] }, { step: true, meaning: 'days', locale: 'en-US' }) as AnyOption;
    expect(option.series[0].step).toBe('end');
    expect(option.yAxis.axisLabel.formatter(2)).toBe('2d');
    expect(option.legend.show).toBe(false);
  });

  it('knows when there is nothing to draw', () => {
    expect(isLineEmpty({ periods: [], series: [] })).toBe(true);
    expect(isLineEmpty({ periods: ['a'], series: [{ name: 'x', values: [null] }] })).toBe(true);
    expect(isLineEmpty(demand)).toBe(false);
  });
});

describe('lineOption on a numeric x axis', () => {
  it('places each point at its x and leaves out missing points instead of breaking the line', () => {
    const option = lineOption(
      { periods: ['0', '1.5', '4'], series: [{ name: 'champion', values: [100, null, 60] }, { name: 'challenger', values: [100, 80, null] }] },
      { step: true, numericX: { name: 'days' } },
    ) as AnyOption;
    expect(option.xAxis.type).toBe('value');
    expect(option.series[0].data).toEqual([[0, 100], [4, 60]]);
    expect(option.series[1].data).toEqual([[0, 100], [1.5, 80]]);
  });
});
