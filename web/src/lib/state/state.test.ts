import { describe, expect, it } from 'vitest';
import { addDays, isIsoDate, localIsoDate, previousWindow, windowLengthDays } from './dates';
import { canOpen, landingFor, safeNext, viewsFor, isRole } from './roles';
import { nextPreference, parsePreference, resolveTheme } from './theme';
import { decodeTrial, encodeTrial, parseIdList, trialParams, trialProblems } from './trial';

describe('dates', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', -365, '2025-01-01'],
  ])('%s + %i days = %s', (from, days, expected) => {
    expect(addDays(from, days)).toBe(expected);
  });

  it.each([
    ['2026-02-28', true], ['2026-02-29', false], ['2024-02-29', true], ['2026-13-01', false], ['26-01-01', false], ['2026-1-1', false],
  ])('isIsoDate(%s) = %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('measures windows with both ends included and finds the previous one', () => {
    expect(windowLengthDays('2026-01-01', '2026-01-01')).toBe(1);
    expect(windowLengthDays('2026-01-01', '2026-03-31')).toBe(90);
    expect(previousWindow({ from: '2026-01-01', to: '2026-03-31' })).toEqual({ from: '2025-10-03', to: '2025-12-31' });
    expect(localIsoDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('roles', () => {
  it.each([
    ['dispatcher', '/queue', ['Queue', 'Campaigns', 'Regions', 'Trials']],
    ['marketer', '/campaigns', ['Campaigns', 'Trials']],
    ['leader', '/regions', ['Regions', 'Trials']],
    ['admin', '/data', ['Queue', 'Campaigns', 'Regions', 'Trials', 'Data', 'Users', 'Audit']],
  ] as const)('%s lands on %s and sees %j', (role, landing, labels) => {
    expect(landingFor(role)).toBe(landing);
    expect(viewsFor(role).map((v) => v.label)).toEqual(labels);
  });

  it.each([
    ['marketer', '/queue', false], ['marketer', '/campaigns', true], ['leader', '/data', false], ['admin', '/audit', true], ['leader', '/login', true],
  ] as const)('%s may open %s: %s', (role, path, expected) => {
    expect(canOpen(role, path)).toBe(expected);
  });

  it.each([
    [null, 'leader', '/regions'],
    ['/regions?grain=week', 'leader', '/regions?grain=week'],
    ['/queue', 'leader', '/regions'],
    ['//evil.example/queue', 'admin', '/data'],
    ['https://evil.example', 'admin', '/data'],
    ['/\\evil.example', 'admin', '/data'],
    ['/login', 'admin', '/data'],
    ['/nowhere', 'admin', '/data'],
  ] as const)('safeNext(%s) for %s = %s', (next, role, expected) => {
    expect(safeNext(next, role)).toBe(expected);
  });

  it('does not offer a view whose report the server refuses to the role', () => {
    const forbidden = new Set(['trial', 'capacity']);
    expect(viewsFor('marketer', forbidden).map((v) => v.label)).toEqual(['Campaigns']);
    expect(viewsFor('dispatcher', new Set()).map((v) => v.label)).toEqual(['Queue', 'Campaigns', 'Regions', 'Trials']);
    expect(canOpen('leader', '/trials', forbidden)).toBe(false);
    expect(canOpen('leader', '/trials')).toBe(true);
    expect(safeNext('/trials', 'leader', forbidden)).toBe('/regions');
  });

  it('recognises roles', () => {
    expect(isRole('leader')).toBe(true);
    expect(isRole('strategist')).toBe(false);
  });
});

describe('theme', () => {
  it.each([
    ['system', false, 'light'], ['system', true, 'dark'], ['light', true, 'light'], ['dark', false, 'dark'],
  ] as const)('%s with system dark=%s is %s', (pref, dark, expected) => {
    expect(resolveTheme(pref, dark)).toBe(expected);
  });

  it('cycles through the opposite of the system, then the system’s own, then back to system', () => {
    expect(nextPreference('system', false)).toBe('dark');
    expect(nextPreference('dark', false)).toBe('light');
    expect(nextPreference('light', false)).toBe('system');
    expect(nextPreference('system', true)).toBe('light');
  });

  it('ignores junk in storage', () => {
    expect(parsePreference('dark')).toBe('dark');
    expect(parsePreference('purple')).toBe('system');
    expect(parsePreference(null)).toBe('system');
  });
});

describe('trial state', () => {
  it.each([
    ['12, 13,,14', ['12', '13', '14']],
    ['12 12 13', ['12', '13']],
    ['a;b', ['a', 'b']],
    ['<script>', []],
    ['', []],
  ])('parseIdList(%j)', (text, ids) => {
    expect(parseIdList(text)).toEqual(ids);
  });

  it('round-trips through the URL and keeps other keys', () => {
    const query = new URLSearchParams('grain=week&champion=1,2&challenger=2,3&start=2026-04-01');
    const trial = decodeTrial(query);
    expect(trial).toEqual({ champion: ['1', '2'], challenger: ['3'], start: '2026-04-01' });
    expect(encodeTrial(trial, query).toString()).toBe('grain=week&champion=1%2C2&challenger=3&start=2026-04-01');
    expect(trialParams(trial)).toEqual({ champion: '1,2', challenger: '3', start: '2026-04-01' });
  });

  it('says what is missing', () => {
    expect(trialProblems(decodeTrial(new URLSearchParams('start=2026-02-30')))).toEqual(['no-champion', 'no-challenger', 'no-start']);
    expect(trialProblems({ champion: ['1'], challenger: ['2'], start: '2026-01-01' })).toEqual([]);
  });
});

import { drillLevel, regionChoices } from './regions';

describe('regionChoices', () => {
  it('nests regions under their parents, sorted by name, and survives cycles and orphans', () => {
    const choices = regionChoices([
      { id: 3, name: 'Irbid', parent_id: 1 },
      { id: 1, name: 'Jordan', parent_id: null },
      { id: 2, name: 'Amman', parent_id: 1 },
      { id: 4, name: 'Lost', parent_id: 99 },
      { id: 5, name: 'Loop A', parent_id: 6 },
      { id: 6, name: 'Loop B', parent_id: 5 },
    ]);
    expect(choices.map((c) => [c.id, c.depth])).toEqual([['1', 0], ['2', 1], ['3', 1], ['4', 0]]);
    expect(choices[1]!.label).toBe('\u2003Amman');
  });
});

describe('drillLevel', () => {
  const regions = [
    { id: '1', name: 'Jordan', level: 0 },
    { id: '2', name: 'Amman Governorate', level: 1, parent_id: '1' },
    { id: '3', name: 'Amman', level: 3, parent_id: '2' },
    { id: '4', name: 'Somewhere', parent_id: '1' },
  ];
  it.each([
    [null, undefined], ['1', '1'], ['2', '2'], ['3', undefined], ['4', undefined], ['99', undefined],
  ] as const)('region %s breaks down by level %s', (region, level) => {
    expect(drillLevel(region, regions)).toBe(level);
  });
  it('waits for the regions', () => {
    expect(drillLevel('1', null)).toBeUndefined();
  });
});
