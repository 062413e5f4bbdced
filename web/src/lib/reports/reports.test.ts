import { describe, expect, it } from 'vitest';
import { isSuppressed, suppressionIn } from './suppressed';
import { barFromReport, funnelFromReport, headline, heatmapFromReport, lineFromReport, mapFromReport, pivotFromReport } from './shape';
import { dimensionColumns, measureColumns, pickDimension } from './columns';
import { trialVerdict } from './trial';
import type { ResultLike } from './columns';

const campaignResponse: ResultLike = {
  columns: [
    { name: 'location_id', type: 'BIGINT' },
    { name: 'city', type: 'VARCHAR' },
    { name: 'campaign', type: 'VARCHAR' },
    { name: 'new_contacts', type: 'INTEGER' },
    { name: 'met_share_pct', type: 'DOUBLE' },
    { name: 'new_contacts_previous', type: 'INTEGER' },
  ],
  rows: [
    { location_id: 1, city: 'Amman', campaign: 'Easter', new_contacts: 30, met_share_pct: 20, new_contacts_previous: 25 },
    { location_id: 1, city: 'Amman', campaign: 'Ramadan', new_contacts: 10, met_share_pct: 10, new_contacts_previous: 12 },
    { location_id: 2, city: 'Irbid', campaign: 'Easter', new_contacts: 5, met_share_pct: 40, new_contacts_previous: 6 },
    { location_id: 3, city: 'Zarqa', campaign: 'Other thing', new_contacts: 8, met_share_pct: null, new_contacts_previous: null },
    { location_id: 3, city: 'Zarqa', campaign: null, new_contacts: 2, met_share_pct: 0, new_contacts_previous: 1 },
  ],
};

describe('columns', () => {
  it('tells dimensions from measures, skipping ids and comparison columns', () => {
    expect(dimensionColumns(campaignResponse)).toEqual(['city', 'campaign']);
    expect(measureColumns(campaignResponse)).toEqual(['new_contacts', 'met_share_pct']);
    expect(pickDimension(campaignResponse, ['region', 'campaign'])).toBe('campaign');
  });
});

describe('barFromReport', () => {
  it('takes the named columns, keeps the largest categories, and tables exactly what is drawn', () => {
    const { data, meaning, table } = barFromReport(campaignResponse, { category: ['city'], values: ['new_contacts'], limit: 2 });
    expect(data.categories).toEqual(['Amman', 'Amman']);
    expect(data.series).toEqual([{ name: 'New contacts', values: [30, 10] }]);
    expect(meaning).toBe('count');
    expect(table.columns.map((c) => c.key)).toEqual(['city', 'new_contacts']);
    expect(table.rows).toEqual([{ city: 'Amman', new_contacts: 30 }, { city: 'Amman', new_contacts: 10 }]);
  });

  it('falls back to the first dimension and measure', () => {
    const { data } = barFromReport(campaignResponse);
    expect(data.series[0]!.name).toBe('New contacts');
    expect(data.categories[0]).toBe('Amman');
  });
});

describe('pivotFromReport', () => {
  it('turns long rows into one series per group, biggest first, the tail summed as Other', () => {
    const { data, table } = pivotFromReport(campaignResponse, { category: ['city'], group: ['campaign'], value: ['new_contacts'], limitGroups: 2 });
    expect(data.categories).toEqual(['Amman', 'Zarqa', 'Irbid']);
    expect(data.series.map((s) => s.name)).toEqual(['Easter', 'Other']);
    expect(data.series[0]!.values).toEqual([30, null, 5]);
    expect(data.series[1]!.values).toEqual([10, 10, null]);
    expect(table.rows[1]).toEqual({ city: 'Zarqa', Easter: null, Other: 10 });
  });

  it('keeps a fixed group order when given', () => {
    const { data } = pivotFromReport(campaignResponse, { category: ['city'], group: ['campaign'], value: ['new_contacts'], groupOrder: ['Ramadan'] });
    expect(data.series[0]!.name).toBe('Ramadan');
  });
});

describe('lineFromReport', () => {
  const demand: ResultLike = {
    columns: [{ name: 'period', type: 'DATE' }, { name: 'contacts', type: 'BIGINT' }, { name: 'contacts_previous', type: 'BIGINT' }],
    rows: [
      { period: '2026-02-01', contacts: 12, contacts_previous: 10 },
      { period: '2026-01-01', contacts: 8, contacts_previous: null },
    ],
  };

  it('orders periods and pairs each measure with its previous-period column', () => {
    const { data, table } = lineFromReport(demand);
    expect(data.periods).toEqual(['2026-01-01', '2026-02-01']);
    expect(data.series).toEqual([{ name: 'Contacts', values: [8, 12] }]);
    expect(data.previous).toEqual([{ name: 'Contacts', values: [null, 10] }]);
    expect(table.columns.map((c) => c.key)).toEqual(['period', 'contacts', 'contacts_previous']);
  });

  it('splits into one line per group', () => {
    const latency: ResultLike = {
      columns: [{ name: 'month', type: 'DATE' }, { name: 'group', type: 'VARCHAR' }, { name: 'median_days', type: 'DOUBLE' }],
      rows: [
        { month: '2026-01-01', group: 'champion', median_days: 2 },
        { month: '2026-01-01', group: 'challenger', median_days: 1.5 },
        { month: '2026-02-01', group: 'champion', median_days: 2.5 },
      ],
    };
    const { data, meaning } = lineFromReport(latency, { splitBy: ['group'] });
    expect(meaning).toBe('days');
    expect(data.series).toEqual([{ name: 'champion', values: [2, 2.5] }, { name: 'challenger', values: [1.5, null] }]);
    // A fixed order keeps each group's colour the same on every chart, whatever the row order.
    expect(lineFromReport({ ...latency, rows: [latency.rows[1]!, latency.rows[0]!] }, { splitBy: ['group'], groupOrder: ['champion', 'challenger'] }).data.series.map((s) => s.name)).toEqual(['champion', 'challenger']);
    expect(lineFromReport({ ...latency, rows: [latency.rows[1]!, latency.rows[0]!] }, { splitBy: ['group'] }).data.series.map((s) => s.name)).toEqual(['challenger', 'champion']);
  });
});

describe('funnel, heatmap and map shapes', () => {
  it('reads the funnel report', () => {
    const { data, table } = funnelFromReport({
      columns: [{ name: 'stage', type: 'VARCHAR' }, { name: 'contacts_now', type: 'INTEGER' }, { name: 'reached', type: 'INTEGER' }, { name: 'conversion_from_previous_pct', type: 'DOUBLE' }],
      rows: [{ stage: 'none', contacts_now: 5, reached: 20, conversion_from_previous_pct: null }, { stage: 'attempted', contacts_now: 15, reached: 15, conversion_from_previous_pct: 75 }],
    });
    expect(data.stages).toEqual([{ name: 'none', reached: 20, conversionPct: null }, { name: 'attempted', reached: 15, conversionPct: 75 }]);
    expect(table.columns.map((c) => c.key)).toEqual(['stage', 'contacts_now', 'reached', 'conversion_from_previous_pct']);
  });

  it('reads seasonality cells', () => {
    const { data } = heatmapFromReport({
      columns: [{ name: 'year', type: 'INTEGER' }, { name: 'week', type: 'INTEGER' }, { name: 'contacts', type: 'BIGINT' }],
      rows: [{ year: 2025, week: 3, contacts: 9 }],
    });
    expect(data.cells).toEqual([{ year: 2025, week: 3, value: 9 }]);
  });

  it('reads map points', () => {
    const { data } = mapFromReport({
      columns: [{ name: 'location_id', type: 'BIGINT' }, { name: 'name', type: 'VARCHAR' }, { name: 'longitude', type: 'DOUBLE' }, { name: 'latitude', type: 'DOUBLE' }, { name: 'demand', type: 'BIGINT' }, { name: 'free_capacity', type: 'BIGINT' }],
      rows: [{ location_id: 7, name: 'Amman', longitude: 35.9, latitude: 31.9, demand: 12, free_capacity: null }],
    });
    expect(data.points).toEqual([{ id: '7', name: 'Amman', longitude: 35.9, latitude: 31.9, demand: 12, supply: null }]);
  });
});

describe('headline', () => {
  it('sums counts over rows and compares with the previous window', () => {
    expect(headline(campaignResponse, 'new_contacts', 'New contacts')).toEqual({ label: 'New contacts', value: 55, previous: 44, change: 11, meaning: 'count' });
  });

  it('takes a rate from the first row and has no change without a previous column', () => {
    expect(headline(campaignResponse, 'met_share_pct')).toMatchObject({ value: 20, previous: null, change: null, meaning: 'percent' });
    expect(headline({ columns: [], rows: [] }, 'x').value).toBeNull();
  });

  it('takes the largest value when asked (the oldest waiting contact)', () => {
    const queue: ResultLike = { columns: [{ name: 'oldest_waiting_days', type: 'DOUBLE' }], rows: [{ oldest_waiting_days: 3 }, { oldest_waiting_days: 12.5 }, { oldest_waiting_days: null }] };
    expect(headline(queue, 'oldest_waiting_days', 'Oldest', 'max')).toMatchObject({ value: 12.5, meaning: 'days' });
  });
});

describe('trialVerdict', () => {
  const columns = [
    { name: 'outcome', type: 'VARCHAR' }, { name: 'difference', type: 'DOUBLE' }, { name: 'difference_low', type: 'DOUBLE' },
    { name: 'difference_high', type: 'DOUBLE' }, { name: 'srm_p_value', type: 'DOUBLE' },
  ];
  const row = (difference: number, low: number, high: number, srm = 0.5) => ({ columns, rows: [{ outcome: 'first meeting', difference, difference_low: low, difference_high: high, srm_p_value: srm }] });

  it.each([
    [row(0.12, 0.03, 0.2), 'challenger-better'],
    [row(-0.1, -0.18, -0.02), 'challenger-worse'],
    [row(0.05, -0.02, 0.12), 'no-clear-difference'],
    [row(0.2, 0.1, 0.3, 0.0001), 'groups-not-comparable'],
    [{ columns, rows: [] }, 'not-enough-data'],
    [{ columns, rows: [{ outcome: 'x', difference: null, difference_low: null, difference_high: null, srm_p_value: null }] }, 'not-enough-data'],
  ] as const)('%#: %s', (result, verdict) => {
    expect(trialVerdict(result, 'en-US').verdict).toBe(verdict);
  });

  it('gives the reason with the interval', () => {
    expect(trialVerdict(row(0.12, 0.03, 0.2), 'en-US').reason).toBe(
      'The challenger group\'s rate of “first meeting” is higher by +12 points (95 % interval +3 to +20 points); the whole interval is above zero.',
    );
  });

  it('shows the server’s own verdict when it states one, on whichever row', () => {
    const stated = {
      columns: [{ name: 'section', type: 'VARCHAR' }, { name: 'verdict', type: 'VARCHAR' }, { name: 'reason', type: 'VARCHAR' }],
      rows: [
        { section: 'outcome', verdict: null, reason: 'first meeting within 30 days: …' },
        { section: 'verdict', verdict: 'roll back', reason: 'the challenger group does significantly worse' },
      ],
    };
    expect(trialVerdict(stated)).toEqual({ verdict: 'challenger-worse', outcome: null, reason: 'the challenger group does significantly worse' });
    expect(trialVerdict({ ...stated, rows: [{ section: 'verdict', verdict: 'expand', reason: 'x' }] }).verdict).toBe('challenger-better');
    expect(trialVerdict({ ...stated, rows: [{ section: 'verdict', verdict: 'keep testing', reason: 'x' }] }).verdict).toBe('keep-testing');
  });
});

import { aggregate, stageShare, withSegment } from './shape';
import { contactUrl, isContactColumn, withParam } from './links';
import { countColumns } from './columns';

describe('aggregate, segments and shares', () => {
  const gap: ResultLike = {
    columns: [
      { name: 'region', type: 'VARCHAR' }, { name: 'language', type: 'VARCHAR' }, { name: 'gender', type: 'VARCHAR' },
      { name: 'demand', type: 'BIGINT' }, { name: 'free_capacity', type: 'BIGINT' },
    ],
    rows: [
      { region: 'Amman', language: 'ar', gender: 'female', demand: 10, free_capacity: 2 },
      { region: 'Amman', language: 'ar', gender: 'male', demand: 5, free_capacity: null },
      { region: 'Irbid', language: 'ar', gender: 'female', demand: 3, free_capacity: null },
    ],
  };

  it('sums measures per group and keeps unknown as null', () => {
    expect(aggregate(gap, ['region'], ['demand', 'free_capacity']).rows).toEqual([
      { region: 'Amman', demand: 15, free_capacity: 2 },
      { region: 'Irbid', demand: 3, free_capacity: null },
    ]);
    expect(aggregate(gap, ['language', 'gender'], ['demand']).columns.map((c) => c.name)).toEqual(['language', 'gender', 'demand']);
  });

  it('sums with suppressed parts are lower bounds, and a headline says so', () => {
    const demand: ResultLike = {
      columns: [{ name: 'period', type: 'VARCHAR' }, { name: 'contacts', type: 'BIGINT' }, { name: 'previous_contacts', type: 'BIGINT' }],
      rows: [
        { period: '2026-01', contacts: 40, previous_contacts: 30 },
        { period: '2026-01', contacts: '<5', previous_contacts: 12 },
        { period: '2026-02', contacts: 'hidden', previous_contacts: '<5' },
      ],
    };
    expect(aggregate(demand, ['period'], ['contacts', 'previous_contacts']).rows).toEqual([
      { period: '2026-01', contacts: '≥40', previous_contacts: 42 },
      { period: '2026-02', contacts: 'hidden', previous_contacts: 'hidden' },
    ]);
    expect(headline(demand, 'contacts', 'New contacts')).toEqual({ label: 'New contacts', value: 40, previous: 42, change: null, meaning: 'count', atLeast: true });
    expect(headline({ columns: demand.columns, rows: [demand.rows[0]!] }, 'contacts')).toMatchObject({ value: 40, change: 10 });
    expect(headline({ columns: demand.columns, rows: [demand.rows[0]!] }, 'contacts').atLeast).toBeUndefined();
  });

  it('joins dimensions into a segment', () => {
    expect(withSegment(gap, ['language', 'gender']).rows[1]).toMatchObject({ segment: 'ar · male' });
  });

  it('finds the share that reached a stage', () => {
    const funnel: ResultLike = {
      columns: [{ name: 'stage', type: 'VARCHAR' }, { name: 'reached', type: 'INTEGER' }],
      rows: [{ stage: 'none', reached: 200 }, { stage: 'met', reached: 50 }],
    };
    expect(stageShare(funnel, 'met')).toBe(25);
    expect(stageShare(funnel, 'coaching')).toBeNull();
    expect(stageShare({ columns: funnel.columns, rows: [] }, 'met')).toBeNull();
  });

  it('lists count columns', () => {
    expect(countColumns(gap)).toEqual(['demand', 'free_capacity']);
  });
});

describe('links', () => {
  it.each([
    ['https://dt.example.org', '123', 'https://dt.example.org/contacts/123'],
    ['https://dt.example.org/sub/', 45, 'https://dt.example.org/sub/contacts/45'],
    ['javascript:alert(1)', '1', null],
    ['not a url', '1', null],
    ['https://dt.example.org', '1/../../admin', null],
    [null, '1', null],
    ['https://dt.example.org', null, null],
  ])('contactUrl(%j, %j) = %j', (site, id, url) => {
    expect(contactUrl(site, id)).toBe(url);
  });

  it('knows contact columns and edits one query key', () => {
    expect(isContactColumn('contact_id')).toBe(true);
    expect(isContactColumn('duplicate_contact_id')).toBe(true);
    expect(isContactColumn('contacts')).toBe(false);
    expect(withParam(new URLSearchParams('grain=week'), 'contact', '12')).toBe('?grain=week&contact=12');
    expect(withParam(new URLSearchParams('contact=12'), 'contact', null)).toBe('');
  });
});

describe('the server’s comparison spelling (previous_<measure>, delta, delta_pct)', () => {
  const demand: ResultLike = {
    columns: [
      { name: 'period', type: 'DATE' }, { name: 'contacts', type: 'INTEGER' }, { name: 'previous_contacts', type: 'INTEGER' },
      { name: 'delta', type: 'INTEGER' }, { name: 'delta_pct', type: 'DOUBLE' },
    ],
    rows: [{ period: '2026-02-01', contacts: 12, previous_contacts: 10, delta: 2, delta_pct: 20 }, { period: '2026-01-01', contacts: 8, previous_contacts: 9, delta: -1, delta_pct: -11.1 }],
  };

  it('draws previous_contacts as the dashed line and does not mistake delta for a measure', () => {
    const { data, table } = lineFromReport(demand);
    expect(data.series.map((s) => s.name)).toEqual(['Contacts']);
    expect(data.previous).toEqual([{ name: 'Contacts', values: [9, 10] }]);
    expect(table.columns.map((c) => c.key)).toEqual(['period', 'contacts', 'previous_contacts']);
  });

  it('gives headlines their change', () => {
    expect(headline(demand, 'contacts')).toMatchObject({ value: 20, previous: 19, change: 1 });
  });

  it('sorts numeric periods as numbers', () => {
    const curve: ResultLike = { columns: [{ name: 'time_days', type: 'DOUBLE' }, { name: 'survival_pct', type: 'DOUBLE' }], rows: [{ time_days: 10, survival_pct: 40 }, { time_days: 2, survival_pct: 80 }] };
    expect(lineFromReport(curve, { period: ['time_days'] }).data.periods).toEqual(['2', '10']);
  });

  it('keeps a per-group value once when aggregating (max), sums the rest', () => {
    const gap: ResultLike = {
      columns: [{ name: 'region', type: 'VARCHAR' }, { name: 'demand_contacts', type: 'INTEGER' }, { name: 'multipliers_in_region', type: 'INTEGER' }],
      rows: [{ region: 'Amman', demand_contacts: 3, multipliers_in_region: 2 }, { region: 'Amman', demand_contacts: 4, multipliers_in_region: 2 }],
    };
    expect(aggregate(gap, ['region'], ['demand_contacts'], ['multipliers_in_region']).rows).toEqual([{ region: 'Amman', demand_contacts: 7, multipliers_in_region: 2 }]);
  });

  it('places regions from known coordinates when the report has none', () => {
    const { data } = mapFromReport(
      { columns: [{ name: 'region_id', type: 'VARCHAR' }, { name: 'region', type: 'VARCHAR' }, { name: 'demand_contacts', type: 'INTEGER' }], rows: [{ region_id: '7', region: 'Amman', demand_contacts: 5 }, { region_id: '8', region: 'Nowhere', demand_contacts: 1 }] },
      { demand: ['demand_contacts'], coordinates: new Map([['7', { longitude: 35.9, latitude: 31.9 }]]) },
    );
    expect(data.points[0]).toMatchObject({ id: '7', name: 'Amman', longitude: 35.9, latitude: 31.9, demand: 5 });
    expect(Number.isNaN(data.points[1]!.longitude)).toBe(true);
  });
});

import { coordinatesOf, withRatio } from './shape';

describe('withRatio and coordinatesOf', () => {
  it('divides, leaving null where the denominator is 0', () => {
    const r = withRatio({ columns: [{ name: 'd', type: 'INTEGER' }, { name: 'm', type: 'INTEGER' }], rows: [{ d: 10, m: 3 }, { d: 4, m: 0 }] }, 'per', 'd', 'm');
    expect(r.rows.map((x) => x.per)).toEqual([3.3, null]);
  });
  it('keeps only regions with both coordinates', () => {
    expect([...coordinatesOf([{ id: 1, longitude: 35, latitude: 31 }, { id: 2, longitude: null, latitude: 3 }]).keys()]).toEqual(['1']);
  });
});

describe('lines without data are not drawn', () => {
  it('drops an all-NULL previous column and an empty group', () => {
    const demand: ResultLike = { columns: [{ name: 'period', type: 'DATE' }, { name: 'contacts', type: 'INTEGER' }, { name: 'previous_contacts', type: 'INTEGER' }], rows: [{ period: '2026-01-01', contacts: 3, previous_contacts: null }] };
    expect(lineFromReport(demand).data.previous).toEqual([]);
    const latency: ResultLike = { columns: [{ name: 'month', type: 'VARCHAR' }, { name: 'milestone', type: 'VARCHAR' }, { name: 'median_days', type: 'DOUBLE' }], rows: [{ month: '2026-01', milestone: 'accepted', median_days: 1 }, { month: '2026-01', milestone: 'first_meeting', median_days: null }] };
    expect(lineFromReport(latency, { splitBy: ['milestone'] }).data.series.map((s) => s.name)).toEqual(['accepted']);
  });
});

describe('suppressed numbers', () => {
  const columns = [{ name: 'place', type: 'VARCHAR' }, { name: 'contacts', type: 'BIGINT' }, { name: 'met_pct', type: 'DOUBLE' }];
  it.each([
    ['nothing suppressed', [{ place: 'Lyon', contacts: 12, met_pct: 25 }], 'none'],
    ['some', [{ place: 'Lyon', contacts: 12, met_pct: 25 }, { place: 'Nice', contacts: '<5', met_pct: 'hidden' }], 'some'],
    ['all', [{ place: 'Lyon', contacts: 'hidden', met_pct: 'hidden' }, { place: 'Nice', contacts: '<5', met_pct: null }], 'all'],
    ['no rows', [], 'none'],
  ] as const)('%s', (_name, rows, expected) => {
    expect(suppressionIn({ columns, rows: rows as unknown as Record<string, unknown>[] })).toBe(expected);
  });

  it('knows the server’s markers and nothing else', () => {
    expect(['<5', '< 5', 'hidden'].map(isSuppressed)).toEqual([true, true, true]);
    expect(['5', 'Hidden valley', '', null, 3].map(isSuppressed)).toEqual([false, false, false, false, false]);
  });
});
