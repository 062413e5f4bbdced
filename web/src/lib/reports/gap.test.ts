import { describe, expect, it } from 'vitest';
import { contactsWithoutFit, gapByRegion, gapBySegment, regionsWithoutMultiplier } from './gap';
import type { ResultLike } from './columns';

const gap: ResultLike = {
  columns: ['region_id', 'region', 'language', 'gender'].map((name) => ({ name, type: 'VARCHAR' }))
    .concat(['demand_contacts', 'fitting_multipliers', 'free_capacity', 'gap', 'multipliers_in_region'].map((name) => ({ name, type: 'INTEGER' }))),
  rows: [
    { region_id: '1', region: 'Amman', language: 'ar', gender: 'female', demand_contacts: 10, fitting_multipliers: 2, free_capacity: 6, gap: 4, multipliers_in_region: 3 },
    { region_id: '1', region: 'Amman', language: 'ar', gender: 'male', demand_contacts: 5, fitting_multipliers: 0, free_capacity: 0, gap: 5, multipliers_in_region: 3 },
    { region_id: '2', region: 'Karak', language: 'ar', gender: 'female', demand_contacts: 4, fitting_multipliers: 0, free_capacity: 0, gap: 4, multipliers_in_region: 0 },
    { region_id: '3', region: 'Quiet', language: 'ar', gender: 'male', demand_contacts: 0, fitting_multipliers: 0, free_capacity: 0, gap: 0, multipliers_in_region: 0 },
  ],
};

describe('worker gap views', () => {
  it('per region: demand summed, multipliers taken once, contacts per multiplier', () => {
    expect(gapByRegion(gap).rows).toEqual([
      { region_id: '1', region: 'Amman', demand_contacts: 15, gap: 9, multipliers_in_region: 3, contacts_per_multiplier: 5 },
      { region_id: '2', region: 'Karak', demand_contacts: 4, gap: 4, multipliers_in_region: 0, contacts_per_multiplier: null },
      { region_id: '3', region: 'Quiet', demand_contacts: 0, gap: 0, multipliers_in_region: 0, contacts_per_multiplier: null },
    ]);
  });

  it('per language × gender', () => {
    expect(gapBySegment(gap).rows).toEqual([
      { segment: 'ar · female', language: 'ar', gender: 'female', demand_contacts: 14, free_capacity: 6, gap: 8 },
      { segment: 'ar · male', language: 'ar', gender: 'male', demand_contacts: 5, free_capacity: 0, gap: 5 },
    ]);
  });

  it('finds regions with demand and nobody, and contacts nobody fits', () => {
    expect(regionsWithoutMultiplier(gap)).toBe(1);
    expect(contactsWithoutFit(gap)).toEqual({ value: 9, atLeast: false });
    expect(regionsWithoutMultiplier({ columns: [], rows: [] })).toBeNull();
  });

  // What a marketer or leader gets: small counts suppressed by the server.
  const suppressed: ResultLike = {
    columns: gap.columns,
    rows: [
      { region_id: '1', region: 'Amman', language: 'ar', gender: 'female', demand_contacts: 10, fitting_multipliers: 2, free_capacity: 6, gap: 4, multipliers_in_region: 3 },
      { region_id: '1', region: 'Amman', language: 'ar', gender: 'male', demand_contacts: '<5', fitting_multipliers: 0, free_capacity: 0, gap: 'hidden', multipliers_in_region: 3 },
      { region_id: '2', region: 'Karak', language: 'ar', gender: 'female', demand_contacts: '<5', fitting_multipliers: 0, free_capacity: 0, gap: 'hidden', multipliers_in_region: 0 },
    ],
  };

  it('never lets a suppressed count shrink a total: sums become lower bounds', () => {
    expect(gapByRegion(suppressed).rows).toEqual([
      { region_id: '1', region: 'Amman', demand_contacts: '≥10', gap: '≥4', multipliers_in_region: 3, contacts_per_multiplier: '≥3.3' },
      { region_id: '2', region: 'Karak', demand_contacts: 'hidden', gap: 'hidden', multipliers_in_region: 0, contacts_per_multiplier: null },
    ]);
    expect(contactsWithoutFit(suppressed)).toEqual({ value: 0, atLeast: true });
  });
});
