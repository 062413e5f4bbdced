import { describe, expect, it } from 'vitest';
import { demandPerPeriod, newContactsHeadline } from './demand';
import type { ResultLike } from './columns';

const demand: ResultLike = {
  columns: [
    { name: 'period', type: 'DATE' },
    { name: 'region', type: 'VARCHAR' },
    { name: 'contacts', type: 'BIGINT' },
    { name: 'previous_contacts', type: 'BIGINT' },
  ],
  rows: [
    { period: '2024-01-01', region: 'Amman', contacts: 10, previous_contacts: 8 },
    { period: '2024-01-01', region: 'Irbid', contacts: 4, previous_contacts: null },
    { period: '2024-02-01', region: 'Amman', contacts: 6, previous_contacts: 7 },
  ],
};

describe('demand views', () => {
  it('headline: new contacts summed over periods and regions, with the change', () => {
    expect(newContactsHeadline(demand)).toEqual({ label: 'New contacts', value: 20, previous: 15, change: 5, meaning: 'count' });
  });

  it('headline: only a lower bound when some counts are suppressed, and no change', () => {
    const suppressed: ResultLike = { ...demand, rows: [...demand.rows, { period: '2024-02-01', region: 'Karak', contacts: '<5', previous_contacts: 2 }] };
    expect(newContactsHeadline(suppressed)).toMatchObject({ value: 20, atLeast: true, change: null });
  });

  it('headline: none for a report without a measure', () => {
    expect(newContactsHeadline({ columns: [{ name: 'period', type: 'DATE' }], rows: [] })).toBeNull();
  });

  it('per period: one total over the regions', () => {
    expect(demandPerPeriod(demand).rows).toEqual([
      { period: '2024-01-01', contacts: 14, previous_contacts: 8 },
      { period: '2024-02-01', contacts: 6, previous_contacts: 7 },
    ]);
  });
});
