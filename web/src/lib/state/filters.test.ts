import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTERS,
  decodeFilters,
  encodeFilters,
  isDefaultFilters,
  reportParams,
  resolveWindow,
  withFilters,
  queryString,
  type FilterState,
} from './filters';

const state = (patch: Partial<FilterState>): FilterState => ({ ...DEFAULT_FILTERS, ...patch });

describe('decodeFilters', () => {
  const cases: { query: string; expected: FilterState; why: string }[] = [
    { query: '', expected: state({}), why: 'empty query is the default view' },
    { query: 'range=30d', expected: state({ range: '30d' }), why: 'preset' },
    { query: 'range=365d', expected: state({ range: '365d' }), why: 'preset' },
    { query: 'range=7y', expected: state({}), why: 'unknown preset falls back' },
    { query: 'range=__proto__', expected: state({}), why: 'prototype keys are not presets' },
    { query: 'from=2026-01-01&to=2026-03-31', expected: state({ range: 'custom', from: '2026-01-01', to: '2026-03-31' }), why: 'custom window' },
    { query: 'from=2026-01-01&to=2026-03-31&range=30d', expected: state({ range: 'custom', from: '2026-01-01', to: '2026-03-31' }), why: 'explicit dates win over a preset' },
    { query: 'from=2026-03-31&to=2026-01-01', expected: state({}), why: 'reversed window is ignored' },
    { query: 'from=2026-02-30&to=2026-03-31', expected: state({}), why: 'impossible date is ignored' },
    { query: 'from=2026-01-01', expected: state({}), why: 'half a window is ignored' },
    { query: 'grain=week', expected: state({ grain: 'week' }), why: 'grain' },
    { query: 'grain=decade', expected: state({}), why: 'unknown grain' },
    { query: 'region=100089589', expected: state({ region: '100089589' }), why: 'location grid id' },
    { query: 'region=1;drop', expected: state({}), why: 'region must be digits' },
    { query: 'gender=female', expected: state({ gender: 'female' }), why: 'gender' },
    { query: 'gender=other', expected: state({}), why: 'gender is an enum' },
    { query: 'language=ar&source=facebook&campaign=Ramadan%202026', expected: state({ language: 'ar', source: 'facebook', campaign: 'Ramadan 2026' }), why: 'text filters' },
    { query: 'language=%20%20', expected: state({}), why: 'blank text is no filter' },
    { query: 'campaign=a%0Ab', expected: state({}), why: 'control characters are dropped' },
    { query: 'compare=previous', expected: state({ compare: true }), why: 'compare on' },
    { query: 'compare=yes', expected: state({}), why: 'only "previous" turns compare on' },
  ];
  it.each(cases)('$query: $why', ({ query, expected }) => {
    expect(decodeFilters(new URLSearchParams(query))).toEqual(expected);
  });
});

describe('encodeFilters', () => {
  const cases: { state: FilterState; query: string }[] = [
    { state: state({}), query: '' },
    { state: state({ range: '90d' }), query: '' },
    { state: state({ range: '30d' }), query: 'range=30d' },
    { state: state({ range: 'custom', from: '2026-01-01', to: '2026-01-31' }), query: 'from=2026-01-01&to=2026-01-31' },
    { state: state({ range: 'custom', from: null, to: null }), query: '' },
    { state: state({ grain: 'month' }), query: '' },
    { state: state({ grain: 'quarter' }), query: 'grain=quarter' },
    { state: state({ compare: true, gender: 'male', region: '42' }), query: 'region=42&gender=male&compare=previous' },
    { state: state({ campaign: 'Easter & more' }), query: 'campaign=Easter+%26+more' },
  ];
  it.each(cases)('$query', ({ state: s, query }) => {
    expect(encodeFilters(s).toString()).toBe(query);
  });

  it('round-trips every encoded state', () => {
    for (const { state: s } of cases) {
      const decoded = decodeFilters(encodeFilters(s));
      expect(encodeFilters(decoded).toString()).toBe(encodeFilters(s).toString());
    }
  });

  it('knows the default view', () => {
    expect(isDefaultFilters(state({}))).toBe(true);
    expect(isDefaultFilters(state({ compare: true }))).toBe(false);
  });
});

describe('withFilters', () => {
  it('keeps the page’s own keys and replaces the filter keys', () => {
    const current = new URLSearchParams('range=30d&contact=123&grain=week');
    const next = withFilters(current, state({ compare: true }));
    expect(next.toString()).toBe('compare=previous&contact=123');
    expect(queryString(next)).toBe('?compare=previous&contact=123');
    expect(queryString(new URLSearchParams())).toBe('');
  });
});

describe('resolveWindow and reportParams', () => {
  const cases: { state: FilterState; today: string; from: string; to: string }[] = [
    { state: state({}), today: '2026-05-31', from: '2026-03-03', to: '2026-05-31' },
    { state: state({ range: '30d' }), today: '2026-03-01', from: '2026-01-31', to: '2026-03-01' },
    { state: state({ range: '365d' }), today: '2024-12-31', from: '2024-01-02', to: '2024-12-31' },
    { state: state({ range: 'custom', from: '2025-01-01', to: '2025-06-30' }), today: '2026-05-31', from: '2025-01-01', to: '2025-06-30' },
    { state: state({ range: 'custom' }), today: '2026-05-31', from: '2026-03-03', to: '2026-05-31' },
  ];
  it.each(cases)('$state.range ending $today', ({ state: s, today, from, to }) => {
    expect(resolveWindow(s, today)).toEqual({ from, to });
  });

  it('gives every filter to the API, with compare spelled as the API wants', () => {
    expect(reportParams(state({ region: '7', gender: 'female', compare: true, grain: 'week' }), '2026-05-31')).toEqual({
      from: '2026-03-03', to: '2026-05-31', grain: 'week', region: '7', gender: 'female', compare: 'previous',
    });
    expect(reportParams(state({}), '2026-05-31')).toEqual({ from: '2026-03-03', to: '2026-05-31', grain: 'month' });
  });
});
