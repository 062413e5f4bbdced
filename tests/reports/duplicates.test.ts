// duplicates: likely duplicate contact pairs. The oracle recomputes the pairs from the RAW phones,
// e-mails and names of the source files (synthetic, so the test may read them), normalising them
// itself; the report only ever sees the importer's keyed hashes. The planted pairs of the demo set,
// including those that differ only in phone formatting, must be found.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.ts';
import { duplicatePairs, idBefore, type DuplicatePair } from '../oracle/dispatch.ts';
import { isSeekerMatching, loadCanonicalWorld, type Filters, type World } from '../oracle/world.ts';
import { DATASETS, DEMO, report, useReportFixture } from './datasets.ts';
import { pairRowsByKey } from './report-checks.ts';

interface DuplicateRow {
  contact_id_a: string;
  name_a: string | null;
  status_a: string | null;
  assigned_to_a: string | null;
  assigned_to_name_a: string | null;
  contact_id_b: string;
  name_b: string | null;
  status_b: string | null;
  assigned_to_b: string | null;
  assigned_to_name_b: string | null;
  match_reason: string;
  different_multipliers: boolean;
  pairs_found: number;
}

const REASON_ORDER = ['same phone', 'same e-mail', 'same name in the same place'];

/** The oracle's pairs in the report's order: different multipliers first, strongest evidence, then ids. */
function expectedPairs(world: World, filters: Filters = {}, onlyDifferent = false): DuplicatePair[] {
  const contacts = world.contactsById;
  const byId = (x: string, y: string) => (x === y ? 0 : idBefore(x, y) ? -1 : 1);
  return [...duplicatePairs(world).values()]
    .filter((p) => (isSeekerMatching(world, contacts.get(p.a)!, filters) || isSeekerMatching(world, contacts.get(p.b)!, filters))
      && (!onlyDifferent || p.differentMultipliers))
    .sort((p, q) => Number(q.differentMultipliers) - Number(p.differentMultipliers)
      || REASON_ORDER.indexOf(p.reasons[0]!) - REASON_ORDER.indexOf(q.reasons[0]!)
      || byId(p.a, q.a) || byId(p.b, q.b));
}

const pairKey = (a: string, b: string) => `${a}|${b}`;

function checkAgainstOracle(world: World, rows: DuplicateRow[], filters: Filters = {}, onlyDifferent = false) {
  const expected = expectedPairs(world, filters, onlyDifferent);
  expect(expected.length).toBeLessThanOrEqual(500); // all of them fit under the default limit
  for (const r of rows) expect(r.pairs_found).toBe(expected.length);
  const userName = (id: string | null) => (id === null ? null : world.usersById.get(id)?.name ?? null);
  for (const { key, row, want: p } of pairRowsByKey(rows, (r) => pairKey(r.contact_id_a, r.contact_id_b), expected, (p) => pairKey(p.a, p.b))) {
    const [a, b] = [world.contactsById.get(p.a)!, world.contactsById.get(p.b)!];
    expect(row.match_reason, key).toBe(p.reasons.join(', '));
    expect(row.different_multipliers, key).toBe(p.differentMultipliers);
    expect([row.name_a, row.status_a, row.assigned_to_a, row.assigned_to_name_a]).toEqual([a.name, a.status, a.assignedTo, userName(a.assignedTo)]);
    expect([row.name_b, row.status_b, row.assigned_to_b, row.assigned_to_name_b]).toEqual([b.name, b.status, b.assignedTo, userName(b.assignedTo)]);
  }
  // Pairs two multipliers may both be calling come first; then the strongest evidence.
  const rank = (r: DuplicateRow) => (r.different_multipliers ? 0 : 10) + REASON_ORDER.indexOf(r.match_reason.split(', ')[0]!);
  for (let i = 1; i < rows.length; i++) expect(rank(rows[i - 1]!) <= rank(rows[i]!), `order at ${i}`).toBe(true);
  for (const r of rows) expect(idBefore(r.contact_id_a, r.contact_id_b)).toBe(true);
}

/** No hash of a phone or e-mail leaves the report, under any column. */
function expectNoHashes(rows: DuplicateRow[]) {
  for (const r of rows) {
    for (const [column, value] of Object.entries(r)) {
      expect(column).not.toMatch(/hash|phone|email/i);
      expect(String(value)).not.toMatch(/[0-9a-f]{32,}/i);
    }
  }
}

describe.each(DATASETS)('duplicates on $label', (dataset) => {
  const fixture = useReportFixture(dataset);

  it('finds exactly the pairs with the same normalised phone, e-mail, or name in the same place', async () => {
    const { db, world } = fixture;
    const { rows } = await report<DuplicateRow>(db, 'duplicates');
    expect(rows.length).toBeGreaterThan(0);
    checkAgainstOracle(world, rows);
    expectNoHashes(rows);
  });

  it('keeps a pair when either contact matches the filters, and can keep only different multipliers', async () => {
    const { db, world } = fixture;
    const country = [...world.locations.values()].find((l) => l.level === 0 && world.contacts.some((c) => c.locationIds.includes(l.id)))!;
    const filtered = await report<DuplicateRow>(db, 'duplicates', { region: String(country.id), gender: 'female' });
    checkAgainstOracle(world, filtered.rows, { region: country.id, gender: 'female' });
    const different = await report<DuplicateRow>(db, 'duplicates', { only_different_multipliers: 'true' });
    checkAgainstOracle(world, different.rows, {}, true);
    expect(different.rows.length).toBeGreaterThan(0);
  });

  it('lists the first `limit` pairs in order and counts them all', async () => {
    const { db, world } = fixture;
    const expected = expectedPairs(world);
    const { rows } = await report<DuplicateRow>(db, 'duplicates', { limit: '3' });
    expect(rows.map((r) => pairKey(r.contact_id_a, r.contact_id_b))).toEqual(expected.slice(0, 3).map((p) => pairKey(p.a, p.b)));
    for (const r of rows) expect(r.pairs_found).toBe(expected.length);
  });
});

// fixtures/PLANTED.md (d): the planted pairs, told apart from chance namesakes by their raw values.
const PLANTED = [
  { ids: ['2064', '2093'], names: ['Muhammad Usman Tariq', 'Mohammad Usman Tariq'], raw: ['+92 300 4417823', '00923004417823'], reason: 'same phone' },
  { ids: ['2223', '2274'], names: ['Youssef Amrani', 'Yousef Amrani'], raw: ['+33 6 12 48 90 37', '0033612489037'], reason: 'same phone' },
  { ids: ['2382', '2458'], names: ['Sharmin Akter', 'Sharmin Aktar'], raw: ['Sharmin.Akter87@example.com', 'sharmin.akter87@example.com'], reason: 'same e-mail' },
  { ids: ['2557', '2672'], names: ['Andrew Collins', 'Andy Collins'], raw: ['+1 (555) 318-2290', '+15553182290'], reason: 'same phone' },
  { ids: ['2596', '2731'], names: ['María José García', 'María José García'], raw: ['+34 611 402 187', '+34 655 903 214'], reason: 'same name in the same place' },
];

describe('duplicates on the demo set: the planted pairs', () => {
  const fixture = useReportFixture(DEMO);

  it('finds every planted pair, formatting differences included, flagged when two multipliers hold it', async () => {
    const { rows } = await report<DuplicateRow>(fixture.db, 'duplicates');
    for (const planted of PLANTED) {
      const ids = planted.names.map((name, i) => {
        const found = fixture.world.contacts.filter((c) => c.name === name && [...c.phones, ...c.emails].includes(planted.raw[i]!));
        expect(found, `${name} ${planted.raw[i]}`).toHaveLength(1);
        return found[0]!;
      });
      expect(ids.map((c) => c.id)).toEqual(planted.ids);
      const [a, b] = idBefore(ids[0]!.id, ids[1]!.id) ? [ids[0]!, ids[1]!] : [ids[1]!, ids[0]!];
      const row = rows.find((r) => r.contact_id_a === a.id && r.contact_id_b === b.id);
      expect(row, planted.names.join(' / ')).toBeDefined();
      expect(row!.match_reason.split(', ')).toContain(planted.reason);
      // Each half is held by a different multiplier: two workers may call the same seeker.
      expect(a.assignedTo !== null && b.assignedTo !== null && a.assignedTo !== b.assignedTo).toBe(true);
      expect(row!.different_multipliers).toBe(true);
    }
    // They are the ones that matter most, so they lead the list.
    expect(rows.slice(0, PLANTED.length).every((r) => r.different_multipliers)).toBe(true);
  });
});

describe('duplicates: phones that differ only in formatting', () => {
  // A small canonical set written for this test: the same numbers and addresses, written differently.
  const fixture = useReportFixture(() => {
    const dir = tempDir('handoff-dups-');
    fs.writeFileSync(path.join(dir, 'multipliers.csv'), [
      'user_id,display_name,roles', 'm1,Worker One,multiplier', 'm2,Worker Two,multiplier', 'd1,Dispatcher,dispatcher',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'contacts.csv'), [
      'contact_id,created_at,contact_type,name,location_ids,assigned_to,phones,emails,overall_status',
      '1,2026-05-01,access,Amal Haddad,10,m1,+92 300 1112223,,active',
      '2,2026-05-02,access,Amal Hadad,11,m2,0092-300-111-2223,,assigned',
      '3,2026-05-03,access,Zoé  Martin,10,m1,,ZOE@Example.com,active',
      '4,2026-05-04,access,zoe martin,10,m1,,zoe@example.com ,active',
      '5,2026-05-05,access,José Ruiz,10,d1,+1 555 000 1111,,new',
      '6,2026-05-06,access,Jose Ruiz,11,m2,+1 555 000 2222,,active',
      '7,2026-05-07,personal,Amal Haddad,10,m1,+923001112223,,active',
      '8,2026-05-08,access,Nadia Noor,10,,1234,,new',
      '9,2026-05-09,access,Nadia Nour,10,,12-34,,new',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'locations.csv'), ['location_id,name,level', '10,Lahore,3', '11,Karachi,3'].join('\n'));
    return { label: 'the formatting set', inputs: [dir], load: () => loadCanonicalWorld(dir) };
  });
  beforeAll(() => {
    expect(fixture.world.contacts).toHaveLength(9);
  });

  it('pairs +92 and 0092 numbers and upper/lower-case e-mails, never personal contacts or too-short numbers', async () => {
    const { rows } = await report<DuplicateRow>(fixture.db, 'duplicates');
    expect(rows.map((r) => [r.contact_id_a, r.contact_id_b, r.match_reason, r.different_multipliers, r.pairs_found])).toEqual([
      ['1', '2', 'same phone', true, 2],
      ['3', '4', 'same e-mail, same name in the same place', false, 2],
    ]);
    // José Ruiz: same name, different places, different phones: not a pair.
    expectNoHashes(rows);
  });
});
