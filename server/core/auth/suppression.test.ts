import { describe, expect, it } from 'vitest';
import type { Row, SuppressionSpec } from './suppression.ts';
import { ALL, HIDDEN, positiveSupport, reportRowsForRole, suppressSmallCounts, SuppressionSpecError, validateSuppressionSpec } from './suppression.ts';

const SMALL = '<5';
const dim = (name: string) => ({ name, kind: 'dimension' as const });
const count = (name: string) => ({ name, kind: 'count' as const });

// ---- behaviour, table-driven ----------------------------------------------------------------------

describe('primary suppression and column handling', () => {
  const spec: SuppressionSpec = {
    columns: [
      dim('city'), count('contacts'), count('met'),
      { name: 'met_rate', kind: 'measure', derivedFrom: ['contacts', 'met'] },
      { name: 'capacity', kind: 'measure', derivedFrom: [] },
      { name: 'contact_ids', kind: 'identifying' }, { name: 'names', kind: 'identifying' },
    ],
  };

  it.each([
    // contacts, met -> shown contacts, shown met, shown rate
    [0, 0, SMALL, SMALL, HIDDEN],
    [1, 0, SMALL, SMALL, HIDDEN],
    [4, 2, SMALL, SMALL, HIDDEN],
    [5, 0, 5, SMALL, HIDDEN],
    [12, 4, 12, SMALL, HIDDEN],
    [12, 5, 12, 5, 0.42],
    [120, 60, 120, 60, 0.42],
  ])('contacts %i, met %i -> %j, %j, rate %j', (contacts, met, shownContacts, shownMet, shownRate) => {
    const result = suppressSmallCounts(spec, [{ city: 'Amman', contacts, met, met_rate: 0.42, capacity: 30, contact_ids: ['c1'], names: 'Fatima' }]);
    expect(result.rows).toEqual([{ city: 'Amman', contacts: shownContacts, met: shownMet, met_rate: shownRate, capacity: 30 }]);
  });

  it('removes identifying columns entirely, keeps the declared order', () => {
    const result = suppressSmallCounts(spec, [{ city: 'Irbid', contacts: 50, met: 20, met_rate: 0.4, capacity: 3, contact_ids: ['1', '2'], names: 'A; B' }]);
    expect(Object.keys(result.rows[0] ?? {})).toEqual(['city', 'contacts', 'met', 'met_rate', 'capacity']);
    expect(result.columns.map((c) => c.name)).toEqual(['city', 'contacts', 'met', 'met_rate', 'capacity']);
    expect(JSON.stringify(result)).not.toMatch(/A; B|contact_ids|names/);
  });

  it('reads counts the way DuckDB returns BIGINT (strings) and NULL as 0', () => {
    const result = suppressSmallCounts({ columns: [dim('city'), count('n')] }, [{ city: 'a', n: '17' }, { city: 'b', n: null }, { city: 'c', n: 3n }]);
    expect(result.rows.map((r) => r['n'])).toEqual([17, SMALL, SMALL]);
  });

  it('honours another threshold', () => {
    const result = suppressSmallCounts({ columns: [dim('city'), count('n')] }, [{ city: 'a', n: 9 }, { city: 'b', n: 10 }], { threshold: 10 });
    expect(result.rows.map((r) => r['n'])).toEqual(['<10', 10]);
  });

  it('fails closed on a column the spec does not declare', () => {
    expect(() => suppressSmallCounts({ columns: [dim('city'), count('n')] }, [{ city: 'a', n: 9, contact_name: 'Yusuf' }])).toThrow(SuppressionSpecError);
  });

  it.each([
    ['a negative count', -1],
    ['a fraction', 2.5],
    ['text', 'many'],
  ])('refuses %s in a count column', (_name, value) => {
    expect(() => suppressSmallCounts({ columns: [dim('city'), count('n')] }, [{ city: 'a', n: value }])).toThrow(SuppressionSpecError);
  });
});

describe('validateSuppressionSpec', () => {
  it.each<[string, SuppressionSpec]>([
    ['a measure without derivedFrom', { columns: [count('n'), { name: 'rate', kind: 'measure' }] }],
    ['derivedFrom naming a dimension', { columns: [dim('city'), { name: 'rate', kind: 'measure', derivedFrom: ['city'] }] }],
    ['derivedFrom naming nothing', { columns: [{ name: 'rate', kind: 'measure', derivedFrom: ['ghost'] }] }],
    ['a cycle of measures', { columns: [{ name: 'a', kind: 'measure', derivedFrom: ['b'] }, { name: 'b', kind: 'measure', derivedFrom: ['a'] }] }],
    ['a column declared twice', { columns: [count('n'), count('n')] }],
    ['a partition over a count', { columns: [count('n')], partitions: [{ over: ['n'] }] }],
    ['an empty partition', { columns: [count('n')], partitions: [{ over: [] }] }],
    ['a column sum over a dimension', { columns: [dim('city'), count('n')], columnSums: [{ parts: ['city'], total: 'n' }] }],
    ['a column sum whose total is a part', { columns: [count('a'), count('b')], columnSums: [{ parts: ['a', 'b'], total: 'a' }] }],
    ['ofTotalOver without that partition', { columns: [dim('city'), count('n'), { name: 'share', kind: 'measure', derivedFrom: ['n'], ofTotalOver: ['city'] }] }],
    ['derivedFrom on a count', { columns: [{ name: 'n', kind: 'count', derivedFrom: [] }] }],
  ])('refuses %s', (_name, spec) => {
    expect(() => validateSuppressionSpec(spec)).toThrow(SuppressionSpecError);
  });
});

describe('secondary suppression', () => {
  const byRegion: SuppressionSpec = { columns: [dim('region'), count('contacts')], partitions: [{ over: ['region'] }] };
  const rowsOf = (values: Record<string, number>): Row[] => Object.entries(values).map(([region, contacts]) => ({ region, contacts }));
  const shown = (rows: Row[]): Record<string, unknown> => Object.fromEntries(rows.map((r) => [String(r['region']), r['contacts']]));

  it.each<[string, Record<string, number>, Record<string, unknown>]>([
    ['one small region: the smallest other region is hidden too, the total stays',
      { A: 3, B: 40, C: 50, [ALL]: 93 }, { A: SMALL, B: HIDDEN, C: 50, [ALL]: 93 }],
    ['two small regions protect each other',
      { A: 3, B: 2, C: 50, [ALL]: 55 }, { A: SMALL, B: SMALL, C: 50, [ALL]: 55 }],
    ['two small regions summing to more than 4 must not pin: 4 + 4 with a total of 8',
      { A: 4, B: 4, [ALL]: 8 }, { A: SMALL, B: SMALL, [ALL]: HIDDEN }],
    ['a small region next to a 5: 1 + 5 = 6 would let "0 or 1" be told apart only by the hidden 5',
      { A: 1, B: 5, C: 70, [ALL]: 76 }, { A: SMALL, B: HIDDEN, C: 70, [ALL]: 76 }],
    ['nothing small: nothing hidden',
      { A: 5, B: 6, [ALL]: 11 }, { A: 5, B: 6, [ALL]: 11 }],
    ['no total row, total assumed known (the default): still protected',
      { A: 3, B: 40, C: 50 }, { A: SMALL, B: HIDDEN, C: 50 }],
  ])('%s', (_name, values, expected) => {
    expect(shown(suppressSmallCounts(byRegion, rowsOf(values)).rows)).toEqual(expected);
  });

  it("with total: 'row' and no total row, nothing adds up, so only primary suppression applies", () => {
    const spec: SuppressionSpec = { ...byRegion, partitions: [{ over: ['region'], total: 'row' }] };
    expect(shown(suppressSmallCounts(spec, rowsOf({ A: 3, B: 40, C: 50 })).rows)).toEqual({ A: SMALL, B: 40, C: 50 });
  });

  it('without any declared sums, only primary suppression applies', () => {
    const spec: SuppressionSpec = { columns: [dim('region'), count('contacts')] };
    expect(shown(suppressSmallCounts(spec, rowsOf({ A: 3, B: 40, [ALL]: 43 })).rows)).toEqual({ A: SMALL, B: 40, [ALL]: 43 });
  });

  it('withholds the whole table when no pattern protects it (two 4s whose known total is 8)', () => {
    const result = suppressSmallCounts(byRegion, rowsOf({ A: 4, B: 4 }));
    expect(result.withheld).toBe(true);
    expect(shown(result.rows)).toEqual({ A: HIDDEN, B: HIDDEN });
  });

  it('hides a share when the total it is a share of is hidden', () => {
    const spec: SuppressionSpec = {
      columns: [dim('region'), count('contacts'), { name: 'share', kind: 'measure', derivedFrom: ['contacts'], ofTotalOver: ['region'] }],
      partitions: [{ over: ['region'] }],
    };
    const result = suppressSmallCounts(spec, [
      { region: 'A', contacts: 4, share: 0.5 }, { region: 'B', contacts: 4, share: 0.5 }, { region: ALL, contacts: 8, share: 1 },
    ]);
    // A and B are "<5"; the total is hidden to protect them; a share of 0.5 would give the total back.
    expect(result.rows.map((r) => r['share'])).toEqual([HIDDEN, HIDDEN, HIDDEN]);
    const fine = suppressSmallCounts(spec, [
      { region: 'A', contacts: 40, share: 0.4 }, { region: 'B', contacts: 60, share: 0.6 }, { region: ALL, contacts: 100, share: 1 },
    ]);
    expect(fine.rows.map((r) => r['share'])).toEqual([0.4, 0.6, 1]);
  });

  it('protects funnel columns declared as column sums (reached = at stage + reached next)', () => {
    const spec: SuppressionSpec = {
      columns: [dim('campaign'), count('reached_attempted'), count('at_attempted'), count('reached_met'), count('at_met'), count('reached_ongoing')],
      columnSums: [
        { total: 'reached_attempted', parts: ['at_attempted', 'reached_met'] },
        { total: 'reached_met', parts: ['at_met', 'reached_ongoing'] },
      ],
    };
    const result = suppressSmallCounts(spec, [{ campaign: 'spring', reached_attempted: 60, at_attempted: 30, reached_met: 30, at_met: 27, reached_ongoing: 3 }]);
    const row = result.rows[0] ?? {};
    expect(row['reached_ongoing']).toBe(SMALL);
    // 30 - 27 would give the 3 back: one of them is hidden as well.
    expect([row['reached_met'], row['at_met']]).toContain(HIDDEN);
    expect(result.secondary).toBeGreaterThanOrEqual(1);
  });

  it('is deterministic', () => {
    const rows = rowsOf({ A: 3, B: 40, C: 40, D: 50, [ALL]: 133 });
    expect(suppressSmallCounts(byRegion, rows)).toEqual(suppressSmallCounts(byRegion, rows));
  });
});

// ---- the adversary ------------------------------------------------------------------------------
// An independent attacker, written from the published table alone: it knows every published count, that
// "<5" means 0..4, that "hidden" means at least 5 (and at most the grand total), and every sum the table
// declares (row totals, column totals, and totals known from elsewhere). It searches exhaustively for
// values of the unknown cells consistent with all of that. A suppressed cell is recomputed if only one
// value is possible.

type Shown = number | string;
/** sum(plus) - sum(minus) + constant = 0 */
interface Relation { plus: string[]; minus: string[]; constant?: number }

function possibleValues(shown: Map<string, Shown>, relations: Relation[], cap: number, cell: string): number[] {
  // A small constraint solver: interval propagation over every relation, then split the widest domain.
  type Domains = Map<string, [number, number]>;
  const start: Domains = new Map();
  for (const [k, v] of shown) start.set(k, typeof v === 'number' ? [v, v] : v === SMALL ? [0, 4] : [5, cap]);
  const propagate = (d: Domains): boolean => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const r of relations) {
        const terms = [...r.plus.map((k) => [k, 1] as const), ...r.minus.map((k) => [k, -1] as const)];
        for (const [target, sign] of terms) {
          let min = r.constant ?? 0;
          let max = r.constant ?? 0;
          for (const [k, s] of terms) {
            if (k === target && s === sign) continue;
            const [a, b] = d.get(k) as [number, number];
            if (s > 0) { min += a; max += b; } else { min -= b; max -= a; }
          }
          // sign * x + rest = 0  =>  x in [-max, -min] * sign
          const lo = sign > 0 ? -max : min;
          const hi = sign > 0 ? -min : max;
          const [a, b] = d.get(target) as [number, number];
          const na = Math.max(a, lo);
          const nb = Math.min(b, hi);
          if (na > nb) return false;
          if (na !== a || nb !== b) { d.set(target, [na, nb]); changed = true; }
        }
      }
    }
    return true;
  };
  const satisfiable = (d: Domains): boolean => {
    if (!propagate(d)) return false;
    let widest: string | null = null;
    for (const [k, [a, b]] of d) if (b > a && (widest === null || b - a > (d.get(widest) as [number, number])[1] - (d.get(widest) as [number, number])[0])) widest = k;
    if (widest === null) return true;
    const [a, b] = d.get(widest) as [number, number];
    const mid = Math.floor((a + b) / 2);
    return satisfiable(new Map(d).set(widest, [a, mid])) || satisfiable(new Map(d).set(widest, [mid + 1, b]));
  };
  const possible: number[] = [];
  const [lo, hi] = start.get(cell) as [number, number];
  for (let v = lo; v <= hi; v++) if (satisfiable(new Map(start).set(cell, [v, v]))) possible.push(v);
  return possible;
}

/** The simple attack of the issue: solve every sum with one unknown, repeat. Returns the cells recomputed. */
function subtractionAttack(shown: Map<string, Shown>, relations: Relation[]): Map<string, number> {
  const known = new Map<string, number>();
  for (const [k, v] of shown) if (typeof v === 'number') known.set(k, v);
  let progress = true;
  while (progress) {
    progress = false;
    for (const r of relations) {
      const open = [...r.plus, ...r.minus].filter((k) => !known.has(k));
      if (open.length !== 1) continue;
      const k = open[0] as string;
      let rest = r.constant ?? 0;
      for (const p of r.plus) if (p !== k) rest += known.get(p) ?? 0;
      for (const m of r.minus) if (m !== k) rest -= known.get(m) ?? 0;
      known.set(k, r.plus.includes(k) ? -rest : rest);
      progress = true;
    }
  }
  const recovered = new Map<string, number>();
  for (const [k, v] of shown) if (typeof v !== 'number' && known.has(k)) recovered.set(k, known.get(k) as number);
  return recovered;
}

/** A region x month table with every margin, in the long format a GROUP BY CUBE gives. */
function crossTable(grid: number[][]): Row[] {
  const rows: Row[] = [];
  grid.forEach((line, i) => line.forEach((n, j) => rows.push({ region: `r${i}`, month: `m${j}`, contacts: n })));
  grid.forEach((line, i) => rows.push({ region: `r${i}`, month: ALL, contacts: line.reduce((a, b) => a + b, 0) }));
  (grid[0] ?? []).forEach((_n, j) => rows.push({ region: ALL, month: `m${j}`, contacts: grid.reduce((a, line) => a + (line[j] ?? 0), 0) }));
  rows.push({ region: ALL, month: ALL, contacts: grid.flat().reduce((a, b) => a + b, 0) });
  return rows;
}

const crossSpec: SuppressionSpec = {
  columns: [dim('region'), dim('month'), count('contacts')],
  partitions: [{ over: ['region'] }, { over: ['month'] }],
};

/** What the attacker reads off the published cross table: cell values and the row/column sums it shows. */
function crossView(rows: Row[], nRegions: number, nMonths: number): { shown: Map<string, Shown>; relations: Relation[] } {
  const shown = new Map<string, Shown>();
  for (const row of rows) shown.set(`${String(row['region'])}|${String(row['month'])}`, row['contacts'] as Shown);
  const regions = [...Array(nRegions).keys()].map((i) => `r${i}`);
  const months = [...Array(nMonths).keys()].map((j) => `m${j}`);
  const relations: Relation[] = [];
  for (const r of [...regions, ALL]) relations.push({ plus: [`${r}|${ALL}`], minus: months.map((m) => `${r}|${m}`) });
  for (const m of [...months, ALL]) relations.push({ plus: [`${ALL}|${m}`], minus: regions.map((r) => `${r}|${m}`) });
  return { shown, relations };
}

function assertProtected(shown: Map<string, Shown>, relations: Relation[], cap: number, truth: Map<string, number>): void {
  expect(subtractionAttack(shown, relations).size).toBe(0);
  for (const [cell, value] of shown) {
    if (value === SMALL) {
      const possible = possibleValues(shown, relations, cap, cell);
      expect(possible, `cell ${cell}`).toContain(truth.get(cell));
      expect(possible.length, `cell ${cell} can be recomputed: only ${possible.join(',')} fits`).toBeGreaterThanOrEqual(2);
    }
  }
  // Nothing small is ever shown as a number.
  for (const value of shown.values()) if (typeof value === 'number') expect(value).toBeGreaterThanOrEqual(5);
}

/** Seeded PRNG (mulberry32) so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('adversarial: recomputing suppressed cells from totals fails', () => {
  it('the unprotected table would leak (the attacker works)', () => {
    // Primary suppression alone on a table with margins: one "<5" among published cells falls to subtraction.
    const grid = [[3, 12, 20], [15, 9, 30], [25, 18, 40]];
    const rows = crossTable(grid).map((r) => ({ ...r, contacts: (r['contacts'] as number) < 5 ? SMALL : r['contacts'] }));
    const { shown, relations } = crossView(rows, 3, 3);
    expect(subtractionAttack(shown, relations).get('r0|m0')).toBe(3);
  });

  it('the attacker also combines several totals with the "<5" bounds (a pin no single sum shows)', () => {
    // What a weaker audit (each sum on its own) let through for [[4, 4, 20], [4, 4, 30], [25, 18, 40]]:
    // rows r0 + r1 minus column m2 minus the grand total give a+b+c+d = 16, so all four are 4.
    const published: Record<string, Shown> = {
      'r0|m0': SMALL, 'r0|m1': SMALL, 'r0|m2': HIDDEN, 'r1|m0': SMALL, 'r1|m1': SMALL, 'r1|m2': HIDDEN,
      'r2|m0': HIDDEN, 'r2|m1': HIDDEN, 'r2|m2': 40, [`r0|${ALL}`]: HIDDEN, [`r1|${ALL}`]: HIDDEN, [`r2|${ALL}`]: 83,
      [`${ALL}|m0`]: HIDDEN, [`${ALL}|m1`]: HIDDEN, [`${ALL}|m2`]: 90, [`${ALL}|${ALL}`]: 149,
    };
    const rows = Object.entries(published).map(([key, contacts]) => {
      const [region, month] = key.split('|');
      return { region, month, contacts };
    });
    const { shown, relations } = crossView(rows, 3, 3);
    expect(subtractionAttack(shown, relations).size).toBe(0); // subtraction alone finds nothing...
    expect(possibleValues(shown, relations, 149, 'r0|m0')).toEqual([4]); // ...the solver does
    // and suppressSmallCounts does not publish that pattern:
    const grid = [[4, 4, 20], [4, 4, 30], [25, 18, 40]];
    const safe = crossView(suppressSmallCounts(crossSpec, crossTable(grid)).rows, 3, 3);
    expect(possibleValues(safe.shown, safe.relations, 149, 'r0|m0').length).toBeGreaterThan(1);
  });

  it.each<[string, number[][]]>([
    ['one small cell', [[3, 12, 20], [15, 9, 30], [25, 18, 40]]],
    ['two small cells in a row', [[3, 2, 20], [15, 9, 30], [25, 18, 40]]],
    ['small cells on a diagonal', [[1, 12, 20], [15, 2, 30], [25, 18, 4]]],
    ['a small row total', [[1, 0, 2], [15, 9, 30], [25, 18, 40]]],
    ['a whole small column', [[1, 12, 20], [2, 9, 30], [0, 18, 40]]],
    ['pairs that sum to a published total', [[4, 4, 20], [4, 4, 30], [25, 18, 40]]],
    ['a single small cell next to fives', [[1, 5, 5], [5, 5, 5], [5, 5, 5]]],
    ['everything small', [[1, 2], [3, 4]]],
  ])('%s', (_name, grid) => {
    const result = suppressSmallCounts(crossSpec, crossTable(grid));
    const { shown, relations } = crossView(result.rows, grid.length, grid[0]?.length ?? 0);
    const truth = crossView(crossTable(grid), grid.length, grid[0]?.length ?? 0).shown as Map<string, number>;
    assertProtected(shown, relations, grid.flat().reduce((a, b) => a + b, 0), truth);
  });

  it('200 random small cross tables: no suppressed cell is ever pinned to one value', () => {
    const random = prng(20260601);
    let checkedSmallCells = 0;
    let withheld = 0;
    for (let t = 0; t < 200; t++) {
      const nRegions = 2 + Math.floor(random() * 3);
      const nMonths = 2 + Math.floor(random() * 2);
      const grid = Array.from({ length: nRegions }, () => Array.from({ length: nMonths }, () => (random() < 0.35 ? Math.floor(random() * 5) : 5 + Math.floor(random() * 10))));
      const result = suppressSmallCounts(crossSpec, crossTable(grid));
      const { shown, relations } = crossView(result.rows, nRegions, nMonths);
      const truth = crossView(crossTable(grid), nRegions, nMonths).shown as Map<string, number>;
      if (result.withheld) {
        expect([...shown.values()].every((v) => v === HIDDEN)).toBe(true);
        withheld++;
        continue;
      }
      assertProtected(shown, relations, grid.flat().reduce((a, b) => a + b, 0), truth);
      checkedSmallCells += [...shown.values()].filter((v) => v === SMALL).length;
    }
    expect(checkedSmallCells).toBeGreaterThan(100);
    expect(withheld).toBeLessThan(20);
  });

  it('40 random three-way cubes (region x month x gender, every margin, as GROUP BY CUBE gives)', () => {
    const random = prng(424242);
    const spec: SuppressionSpec = {
      columns: [dim('region'), dim('month'), dim('gender'), count('contacts')],
      partitions: [{ over: ['region'] }, { over: ['month'] }, { over: ['gender'] }],
    };
    const levels = { region: ['r0', 'r1'], month: ['m0', 'm1', 'm2'], gender: ['f', 'm'] } as const;
    const dims = ['region', 'month', 'gender'] as const;
    let audited = 0;
    for (let t = 0; t < 40; t++) {
      const base = new Map<string, number>();
      for (const r of levels.region) for (const m of levels.month) for (const g of levels.gender) {
        base.set(`${r}|${m}|${g}`, random() < 0.4 ? Math.floor(random() * 5) : 5 + Math.floor(random() * 8));
      }
      // Every cell of the cube, margins included: a coordinate is a value or ALL.
      const options = dims.map((d) => [...levels[d], ALL]);
      const truth = new Map<string, number>();
      for (const r of options[0] ?? []) for (const m of options[1] ?? []) for (const g of options[2] ?? []) {
        let sum = 0;
        for (const [key, v] of base) {
          const [br, bm, bg] = key.split('|');
          if ((r === ALL || r === br) && (m === ALL || m === bm) && (g === ALL || g === bg)) sum += v;
        }
        truth.set(`${r}|${m}|${g}`, sum);
      }
      const rows: Row[] = [...truth].map(([key, contacts]) => {
        const [region, month, gender] = key.split('|');
        return { region, month, gender, contacts };
      });
      const result = suppressSmallCounts(spec, rows);
      if (result.withheld) continue;
      const shown = new Map<string, Shown>(result.rows.map((r) => [`${String(r['region'])}|${String(r['month'])}|${String(r['gender'])}`, r['contacts'] as Shown]));
      // Each line of the cube along one dimension sums to its margin.
      const relations: Relation[] = [];
      dims.forEach((d, axis) => {
        const others = dims.filter((_x, i) => i !== axis);
        const otherOptions = others.map((o) => [...levels[o], ALL]);
        for (const a of otherOptions[0] ?? []) for (const b of otherOptions[1] ?? []) {
          const key = (v: string): string => {
            const coords: string[] = [];
            let oi = 0;
            for (let i = 0; i < 3; i++) coords.push(i === axis ? v : oi++ === 0 ? a : b);
            return coords.join('|');
          };
          relations.push({ plus: [key(ALL)], minus: levels[d].map((v) => key(v)) });
        }
      });
      assertProtected(shown, relations, truth.get(`${ALL}|${ALL}|${ALL}`) ?? 0, truth);
      audited++;
    }
    expect(audited).toBeGreaterThanOrEqual(30); // withholding everything would pass vacuously
  });

  it('a region list whose total is known elsewhere (a sibling breakdown) is protected against that total', () => {
    const random = prng(7);
    let audited = 0;
    for (let t = 0; t < 100; t++) {
      const n = 2 + Math.floor(random() * 5);
      const values = Array.from({ length: n }, () => (random() < 0.4 ? Math.floor(random() * 5) : 5 + Math.floor(random() * 20)));
      const total = values.reduce((a, b) => a + b, 0);
      const result = suppressSmallCounts({ columns: [dim('region'), count('contacts')], partitions: [{ over: ['region'] }] }, values.map((contacts, i) => ({ region: `r${i}`, contacts })));
      const shown = new Map<string, Shown>(result.rows.map((r) => [String(r['region']), r['contacts'] as Shown]));
      if (result.withheld) continue;
      // The attacker knows the total from the sibling breakdown, unless that total is itself small (and so "<5" there).
      const relations: Relation[] = total >= 5 ? [{ plus: [], minus: [...shown.keys()], constant: total }] : [];
      assertProtected(shown, relations, total, new Map(values.map((v, i) => [`r${i}`, v])));
      audited++;
    }
    expect(audited).toBeGreaterThanOrEqual(70);
  });

  it('a by-gender table with a total column and a total row (column sums and a partition together)', () => {
    const random = prng(99);
    let audited = 0;
    const spec: SuppressionSpec = {
      columns: [dim('city'), count('female'), count('male'), count('contacts')],
      partitions: [{ over: ['city'] }],
      columnSums: [{ total: 'contacts', parts: ['female', 'male'] }],
    };
    for (let t = 0; t < 100; t++) {
      const n = 2 + Math.floor(random() * 3);
      const grid = Array.from({ length: n }, () => [0, 1].map(() => (random() < 0.35 ? Math.floor(random() * 5) : 5 + Math.floor(random() * 12))));
      const rows: Row[] = grid.map(([f = 0, m = 0], i) => ({ city: `c${i}`, female: f, male: m, contacts: f + m }));
      const tf = grid.reduce((a, [f = 0]) => a + f, 0);
      const tm = grid.reduce((a, [, m = 0]) => a + m, 0);
      rows.push({ city: ALL, female: tf, male: tm, contacts: tf + tm });
      const result = suppressSmallCounts(spec, rows);
      if (result.withheld) continue;
      const shown = new Map<string, Shown>();
      const truth = new Map<string, number>();
      rows.forEach((row, i) => {
        for (const column of ['female', 'male', 'contacts']) {
          shown.set(`${String(row['city'])}|${column}`, result.rows[i]?.[column] as Shown);
          truth.set(`${String(row['city'])}|${column}`, row[column] as number);
        }
      });
      const cities = [...rows.map((r) => String(r['city']))];
      const relations: Relation[] = [
        ...cities.map((c) => ({ plus: [`${c}|contacts`], minus: [`${c}|female`, `${c}|male`] })),
        ...['female', 'male', 'contacts'].map((column) => ({ plus: [`${ALL}|${column}`], minus: cities.filter((c) => c !== ALL).map((c) => `${c}|${column}`) })),
      ];
      assertProtected(shown, relations, tf + tm, truth);
      audited++;
    }
    expect(audited).toBeGreaterThanOrEqual(70);
  });

  it('a hierarchy (country > province > city) with subtotal rows', () => {
    const spec: SuppressionSpec = {
      columns: [dim('country'), dim('province'), dim('city'), count('contacts')],
      partitions: [{ over: ['city'], total: 'row' }, { over: ['province'], total: 'row' }],
    };
    const random = prng(3);
    let audited = 0;
    for (let t = 0; t < 60; t++) {
      const provinces = [0, 1, 2].map((p) => [0, 1, 2].map(() => (random() < 0.35 ? Math.floor(random() * 5) : 5 + Math.floor(random() * 15))));
      const rows: Row[] = [];
      provinces.forEach((cities, p) => cities.forEach((n, c) => rows.push({ country: 'JO', province: `p${p}`, city: `p${p}c${c}`, contacts: n })));
      provinces.forEach((cities, p) => rows.push({ country: 'JO', province: `p${p}`, city: ALL, contacts: cities.reduce((a, b) => a + b, 0) }));
      rows.push({ country: 'JO', province: ALL, city: ALL, contacts: provinces.flat().reduce((a, b) => a + b, 0) });
      const result = suppressSmallCounts(spec, rows);
      if (result.withheld) continue;
      const key = (r: Row): string => `${String(r['province'])}|${String(r['city'])}`;
      const shown = new Map<string, Shown>(result.rows.map((r) => [key(r), r['contacts'] as Shown]));
      const truth = new Map<string, number>(rows.map((r) => [key(r), r['contacts'] as number]));
      const relations: Relation[] = [
        ...provinces.map((cities, p) => ({ plus: [`p${p}|${ALL}`], minus: cities.map((_n, c) => `p${p}|p${p}c${c}`) })),
        { plus: [`${ALL}|${ALL}`], minus: provinces.map((_c, p) => `p${p}|${ALL}`) },
      ];
      assertProtected(shown, relations, provinces.flat().reduce((a, b) => a + b, 0), truth);
      audited++;
    }
    expect(audited).toBeGreaterThanOrEqual(45);
  });
});

describe('reportRowsForRole', () => {
  const report = { name: 'demand', level: 'aggregate' as const, privacy: { columns: [dim('city'), count('contacts'), { name: 'names', kind: 'identifying' as const }] } };
  const rows = [{ city: 'Zarqa', contacts: 2, names: 'Huda' }];

  it.each([
    ['admin', { access: 'full', rows }],
    ['dispatcher', { access: 'full', rows }],
  ] as const)('%s gets the rows as they are', (role, expected) => {
    expect(reportRowsForRole(role, report, rows)).toEqual(expected);
  });

  it.each(['marketer', 'leader'] as const)('%s gets suppressed rows without identifying columns', (role) => {
    const answer = reportRowsForRole(role, report, rows);
    expect(answer.access).toBe('suppressed');
    if (answer.access === 'suppressed') expect(answer.result.rows).toEqual([{ city: 'Zarqa', contacts: SMALL }]);
  });

  it.each(['marketer', 'leader'] as const)('%s is refused a contact-level report', (role) => {
    expect(reportRowsForRole(role, { ...report, name: 'duplicates', level: 'contact-level' }, rows)).toEqual({ access: 'forbidden' });
  });
});

// The audit's LP (positiveSupport) finds which coordinates of { B z = 0, z >= 0 } can be positive.
// Independent answer: every such z is a sum of non-negative circuits (solutions with minimal support),
// so the coordinates that can be positive are the union of the supports of the circuits that are
// positive everywhere on their support. Circuits of a small B are found by brute force over column
// subsets whose kernel is one-dimensional.
function supportByCircuits(b: number[][], k: number): boolean[] {
  const movable = new Array<boolean>(k).fill(false);
  for (let mask = 1; mask < 1 << k; mask++) {
    const columns = [...Array(k).keys()].filter((j) => mask & (1 << j));
    const kernel = kernelVector(b.map((row) => columns.map((j) => row[j]!)), columns.length);
    if (!kernel) continue;
    const positive = kernel.every((v) => v > 1e-9);
    const negative = kernel.every((v) => v < -1e-9);
    if (positive || negative) for (const j of columns) movable[j] = true;
  }
  return movable;
}

/** The kernel's basis vector when the kernel is exactly one-dimensional, else null (plain Gauss–Jordan). */
function kernelVector(a: number[][], n: number): number[] | null {
  const m = a.map((row) => [...row]);
  const pivotOf: number[] = [];
  let r = 0;
  for (let c = 0; c < n && r < m.length; c++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++) if (Math.abs(m[i]![c]!) > Math.abs(m[best]![c]!)) best = i;
    if (Math.abs(m[best]![c]!) < 1e-9) continue;
    [m[r], m[best]] = [m[best]!, m[r]!];
    const p = m[r]!;
    const pv = p[c]!;
    for (let j = 0; j < n; j++) p[j] = p[j]! / pv;
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]!;
      for (let j = 0; j < n; j++) m[i]![j] = m[i]![j]! - f * p[j]!;
    }
    pivotOf[c] = r;
    r++;
  }
  const free = [...Array(n).keys()].filter((c) => pivotOf[c] === undefined);
  if (free.length !== 1) return null;
  const v = new Array<number>(n).fill(0);
  v[free[0]!] = 1;
  for (let c = 0; c < n; c++) if (pivotOf[c] !== undefined) v[c] = -m[pivotOf[c]!]![free[0]!]!;
  return v;
}

describe('the audit LP', () => {
  it('finds the coordinates that can be positive, as circuits do, on 3,000 random small systems', () => {
    const random = prng(20261126);
    let someMovable = 0;
    let someFixed = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const k = 1 + Math.floor(random() * 7);
      const rows = 1 + Math.floor(random() * 4);
      // Sums of cells as the audit builds them: mostly 0 and ±1, now and then a 2 or a repeated row.
      const b = Array.from({ length: rows }, () => Array.from({ length: k }, () => {
        const x = random();
        return x < 0.45 ? 0 : x < 0.7 ? 1 : x < 0.95 ? -1 : 2;
      }));
      if (rows > 1 && random() < 0.1) b[rows - 1] = [...b[0]!];
      const expected = supportByCircuits(b, k);
      const found = positiveSupport(b.map((row) => Float64Array.from(row)), k);
      expect(found, JSON.stringify(b)).toEqual(expected);
      someMovable += expected.some(Boolean) ? 1 : 0;
      someFixed += expected.some((x) => !x) ? 1 : 0;
    }
    // Both answers occur often, so the comparison means something.
    expect(someMovable).toBeGreaterThan(500);
    expect(someFixed).toBeGreaterThan(500);
  });
});
