import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportRefused } from './types.ts';
import { detectLocationGrid, parseLocationGrid } from './location-grid.ts';

const SAMPLES = new URL('../../../fixtures/dt-samples/', import.meta.url);
const sample = fs.readFileSync(new URL('location_grid.tsv', SAMPLES), 'utf8');

describe('D.T location grid', () => {
  it('reads the sample table dump with its header', () => {
    expect(detectLocationGrid('location_grid.tsv', sample.split('\n')[0]!)).toBe(true);
    const parsed = parseLocationGrid('location_grid.tsv', sample);
    expect(parsed.issues).toEqual([]);
    expect(parsed.rowsRead).toBe(7);
    expect(parsed.locations.map((l) => [l.location_id, l.name])).toEqual([
      [100018514, 'Bangladesh'], [100050711, 'China'], [100074576, 'Spain'], [100089589, 'France'],
      [100219347, 'India'], [100259978, 'Pakistan'], [100364199, 'United States'],
    ]);
    expect(parsed.locations[1]).toEqual({
      location_id: 100050711, name: 'China', level: 0, level_name: 'admin0', parent_id: 1, country_code: 'CN',
      longitude: 104.195, latitude: 35.8617, population: 1410000000,
    });
  });

  it("reads D.T's own headerless download in table column order, NULL as empty", () => {
    const headerless = sample.split('\n').slice(1).join('\n');
    expect(detectLocationGrid('dt_location_grid.tsv', headerless.split('\n')[0]!)).toBe(true);
    const parsed = parseLocationGrid('dt_location_grid.tsv', headerless);
    expect(parsed.locations).toEqual(parseLocationGrid('location_grid.tsv', sample).locations);
    const admin1 = '100364452\tAlabama\t1\tadmin1\tUS\tUSA\t100364199\t100364199\t100364452\tNULL\tNULL\tNULL\tNULL\tNULL\tNULL\t35\t30\t-85\t-88\tNULL\t2020-01-01\tNULL\tNULL\t0\t0';
    expect(parseLocationGrid('dt_location_grid.tsv', admin1).locations[0]).toMatchObject({
      location_id: 100364452, name: 'Alabama', level: 1, parent_id: 100364199, longitude: null, population: null,
    });
  });

  it("names a place by alt_name, as D.T's labels do", () => {
    const renamed = sample.replace('\tChina\t1410000000\t0\t0', '\tPRC\t1410000000\t0\t1');
    expect(parseLocationGrid('location_grid.tsv', renamed).locations.find((l) => l.location_id === 100050711)?.name).toBe('PRC');
  });

  it('rejects bad rows and refuses a file that is not a grid', () => {
    const bad = `${sample.split('\n')[0]}\nabc\tNowhere\t0\n100050711\tChina\tx\n100050711\tChina\t0\n100050711\tChina\t0`;
    const parsed = parseLocationGrid('location_grid.tsv', bad);
    expect(parsed.issues.map((i) => [i.row, i.field, i.reason])).toEqual([
      [1, 'grid_id', 'grid_id is not a positive integer'],
      [2, 'level', 'level is not a number'],
      [4, 'grid_id', 'grid_id repeated within the file'],
    ]);
    expect(() => parseLocationGrid('places.tsv', 'city\tcountry\nParis\tFrance')).toThrow(ImportRefused);
    expect(detectLocationGrid('places.tsv', 'city\tcountry')).toBe(false);
  });
});
