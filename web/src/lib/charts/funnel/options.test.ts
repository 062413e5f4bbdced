import { describe, expect, it } from 'vitest';
import { funnelLabel, funnelOption, isFunnelEmpty, type FunnelData } from './options';

type AnyOption = Record<string, any>;

const path: FunnelData = {
  stages: [
    { name: 'none', reached: 200, conversionPct: null },
    { name: 'attempted', reached: 150, conversionPct: 75 },
    { name: 'met', reached: 45, conversionPct: 30 },
  ],
};

describe('funnelOption', () => {
  it('keeps D.T’s stage order and scales to the largest stage', () => {
    const series = (funnelOption(path) as AnyOption).series[0];
    expect(series.sort).toBe('none');
    expect(series.data.map((d: AnyOption) => d.name)).toEqual(['none', 'attempted', 'met']);
    expect(series.max).toBe(200);
  });

  it('labels each stage with its count and its conversion', () => {
    expect(funnelLabel(path.stages[1]!, 'en-US')).toBe('attempted: 150 · 75%');
    expect(funnelLabel(path.stages[0]!, 'en-US')).toBe('none: 200');
    const series = (funnelOption(path, { locale: 'en-US' }) as AnyOption).series[0];
    expect(series.label.formatter({ name: 'met' })).toBe('met: 45 · 30%');
  });

  it('is empty when no contact reached any stage', () => {
    expect(isFunnelEmpty({ stages: [{ name: 'none', reached: 0 }] })).toBe(true);
    expect(isFunnelEmpty(path)).toBe(false);
  });
});
