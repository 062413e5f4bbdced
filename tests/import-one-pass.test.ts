// The one-pass import (server/core/import/one-pass.ts) must store exactly what the staged,
// row-by-row validating path stores, into empty tables and over stored data alike, and must step
// aside whenever a file has anything the staged path would reject or change, so that bad rows are
// still reported by file, row and field.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANONICAL_KINDS } from '../server/core/import/canonical.ts';
import { ImportFailed, type ImportSummary } from '../server/core/import/index.ts';
import { DEMO_CANONICAL, DT_SAMPLES, createTestDb, rows, tempDir } from './helpers.ts';

const TABLES = { contacts: 'contact_id', multipliers: 'user_id', events: 'event_id', locations: 'location_id' } as const;

/** Every stored row of every table, in id order. */
async function storedTables(db: Awaited<ReturnType<typeof createTestDb>>['db']) {
  const world: Record<string, unknown[]> = {};
  for (const [table, id] of Object.entries(TABLES)) world[table] = await rows(db, `SELECT * FROM ${table} ORDER BY ${id}`);
  return world;
}

/**
 * Imports the same inputs into two fresh databases with one PII key: once as one pass may, once
 * staged. `before` are imports made first, the same way in both (the data a re-import meets).
 */
async function importBothWays(inputs: string[], before: string[][] = []) {
  const outcome = async (onePass: boolean) => {
    const t = await createTestDb();
    const key = Buffer.alloc(32, 9);
    for (const earlier of before) await t.importAll(earlier, { piiKey: key, onePass });
    let summary: ImportSummary;
    try {
      summary = await t.importAll(inputs, { piiKey: key, onePass });
    } catch (error) {
      if (!(error instanceof ImportFailed)) throw error;
      summary = error.summary;
    }
    const tables = await storedTables(t.db);
    t.close();
    return { summary, tables };
  };
  return { shortcut: await outcome(true), staged: await outcome(false) };
}

const CONTACTS_HEADER = 'contact_id,name,created_at,contact_type,overall_status,seeker_path,gender,languages,phones,emails,accepted,attempts_count,location_ids,baptism_date';
const EVENTS_HEADER = 'event_id,contact_id,occurred_at,kind,actor_id,note';

function writeSet(contacts: string[], events: string[]): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'contacts.csv'), [CONTACTS_HEADER, ...contacts].join('\n'));
  fs.writeFileSync(path.join(dir, 'events.csv'), [EVENTS_HEADER, ...events].join('\n'));
  return dir;
}

const day = (i: number) => `2026-03-${String(1 + (i % 28)).padStart(2, '0')}`;
const contact = (i: number, fields: Partial<Record<'name' | 'created' | 'type' | 'status' | 'accepted' | 'attempts' | 'locations' | 'baptism', string>> = {}) =>
  [`c${i}`, fields.name ?? `Seeker ${i}`, fields.created ?? `${day(i)}T10:00:00Z`, fields.type ?? 'access', fields.status ?? 'active', 'met', 'female', 'ar;en',
    `+92 300 12345${String(i).padStart(2, '0')}`, `s${i}@example.com`, fields.accepted ?? (i % 2 ? 'true' : 'no'), fields.attempts ?? String(i % 4),
    fields.locations ?? '100259978;100089589', fields.baptism ?? (i % 5 ? '' : day(i))].join(',');
const GOOD_CONTACTS = Array.from({ length: 40 }, (_, i) => contact(i));
const withContact = (i: number, line: string) => [...GOOD_CONTACTS.slice(0, i), line, ...GOOD_CONTACTS.slice(i + 1)];
const GOOD_EVENTS = Array.from({ length: 40 }, (_, i) => `e${i},c${i},2026-03-${String(1 + (i % 28)).padStart(2, '0')}T11:00:00Z,comment,m1,"call +92 300 1234567, or s${i}@example.com"`);

describe('one-pass import', () => {
  it('stores the demo dataset exactly as the staged path does, in one pass per file', async () => {
    const { shortcut, staged } = await importBothWays([DEMO_CANONICAL]);
    expect(shortcut.summary.method).toBe('one-pass');
    expect(staged.summary.method).toBe('staged');
    expect(shortcut.summary.outcome).toBe('ok');
    expect(shortcut.summary.rowsRead).toBe(staged.summary.rowsRead);
    expect(shortcut.summary.counts).toEqual(staged.summary.counts);
    expect(shortcut.summary.issues).toEqual([]);
    expect(shortcut.summary.onePassAbandoned).toBeNull();
    for (const table of Object.keys(TABLES)) {
      expect(shortcut.tables[table]!.length, table).toBeGreaterThan(0);
      expect(shortcut.tables[table], table).toEqual(staged.tables[table]);
    }
    // Phones were hashed and notes redacted on the way in, as on the staged path.
    expect(JSON.stringify(shortcut.tables.events)).not.toMatch(/\+\d{2} \d{3}/);
  }, 120_000);

  it('takes the shortcut for a clean hand-made set, hashing phones and redacting notes alike', async () => {
    const { shortcut, staged } = await importBothWays([writeSet(GOOD_CONTACTS, GOOD_EVENTS)]);
    expect(shortcut.summary.method).toBe('one-pass');
    expect(shortcut.tables).toEqual(staged.tables);
    expect((shortcut.tables.contacts![0] as { phone_hashes: string[] }).phone_hashes).toHaveLength(1);
    expect((shortcut.tables.events![0] as { note: string }).note).toBe('call [phone], or [e-mail]');
  });

  it('reports progress file by file, never backwards, ending with every file done', async () => {
    const t = await createTestDb();
    const seen: { phase: string; done: number; total: number }[] = [];
    const summary = await t.importAll([DEMO_CANONICAL], { onProgress: (p) => seen.push({ phase: p.phase, done: p.done, total: p.total }) });
    t.close();
    expect(summary.method).toBe('one-pass');
    const stage = seen.filter((p) => p.phase === 'stage');
    expect(stage.every((p) => p.total === 4)).toBe(true);
    expect(stage.map((p) => p.done)).toEqual([...stage.map((p) => p.done)].sort((a, b) => a - b));
    expect(stage.filter((p) => Number.isInteger(p.done)).map((p) => p.done)).toEqual([1, 2, 3, 4]);
    expect(seen.at(-1)).toEqual({ phase: 'done', done: 1, total: 1 });
  }, 60_000);

  const BAD_CASES: [string, string[], string[], { row: number; field: string; reason: RegExp; contactsStored: number }][] = [
    ['an unknown event kind', GOOD_CONTACTS, [...GOOD_EVENTS.slice(0, 7), 'e7,c7,2026-03-08T11:00:00Z,coffee,m1,', ...GOOD_EVENTS.slice(8)],
      { row: 8, field: 'kind', reason: /unknown value/, contactsStored: 40 }],
    ['a date in the future', withContact(3, contact(3, { created: '2999-01-01' })), GOOD_EVENTS,
      { row: 4, field: 'created_at', reason: /future/, contactsStored: 39 }],
    ['a day in the future', withContact(5, contact(5, { baptism: '2999-01-01' })), GOOD_EVENTS,
      { row: 6, field: 'baptism_date', reason: /future/, contactsStored: 39 }],
    ['a date that is not one', withContact(6, contact(6, { created: '2026-02-30' })), GOOD_EVENTS,
      { row: 7, field: 'created_at', reason: /not a date/, contactsStored: 39 }],
    ['a number that is not one', withContact(7, contact(7, { attempts: 'three' })), GOOD_EVENTS,
      { row: 8, field: 'attempts_count', reason: /whole number/, contactsStored: 39 }],
    ['a boolean that is not one', withContact(8, contact(8, { accepted: 'maybe' })), GOOD_EVENTS,
      { row: 9, field: 'accepted', reason: /boolean/, contactsStored: 39 }],
    ['an id list with a gap', withContact(9, contact(9, { locations: '100259978;;100089589' })), GOOD_EVENTS,
      { row: 10, field: 'location_ids', reason: /list of whole numbers/, contactsStored: 39 }],
    ['a missing contact type', withContact(10, contact(10, { type: '' })), GOOD_EVENTS,
      { row: 11, field: 'contact_type', reason: /required/, contactsStored: 39 }],
    ['an event kind the database knows but the format does not', GOOD_CONTACTS, [...GOOD_EVENTS.slice(0, 2), 'e2,c2,2026-03-03T11:00:00Z,unparsed,m1,', ...GOOD_EVENTS.slice(3)],
      { row: 3, field: 'kind', reason: /unknown value/, contactsStored: 40 }],
    ['a missing required value', GOOD_CONTACTS, [...GOOD_EVENTS, 'e99,,2026-03-08T11:00:00Z,comment,m1,'],
      { row: 41, field: 'contact_id', reason: /required/, contactsStored: 40 }],
    ['an id repeated within the file', [...GOOD_CONTACTS, GOOD_CONTACTS[5]!], GOOD_EVENTS,
      { row: 41, field: 'contact_id', reason: /repeated/, contactsStored: 40 }],
  ];
  for (const [what, contacts, events, reject] of BAD_CASES) {
    it(`steps aside for ${what}: the staged path reports the row and stores the rest`, async () => {
      const { shortcut, staged } = await importBothWays([writeSet(contacts, events)]);
      expect(shortcut.summary.method).toBe('staged');
      expect(shortcut.summary.onePassAbandoned).toMatch(/\S/);
      expect(shortcut.summary.outcome).toBe('ok');
      expect(shortcut.summary.issues).toEqual(staged.summary.issues);
      expect(shortcut.summary.issues).toEqual([expect.objectContaining({ kind: 'reject', row: reject.row, field: reject.field, reason: expect.stringMatching(reject.reason) })]);
      expect(shortcut.tables).toEqual(staged.tables);
      expect(shortcut.tables.contacts).toHaveLength(reject.contactsStored);
    });
  }

  it('says when the load starts again row by row, so a progress bar that steps back is explained', async () => {
    const t = await createTestDb();
    const seen: { phase: string; done: number; note?: string }[] = [];
    // The bad row is in the events, merged after the contacts: the one pass had finished a file.
    const summary = await t.importAll([writeSet(GOOD_CONTACTS, [...GOOD_EVENTS.slice(0, 7), 'e7,c7,2026-03-08T11:00:00Z,coffee,m1,', ...GOOD_EVENTS.slice(8)])],
      { onProgress: (p) => seen.push({ phase: p.phase, done: p.done, ...(p.note ? { note: p.note } : {}) }) });
    t.close();
    expect(summary.method).toBe('staged');
    const noted = seen.filter((p) => p.note);
    expect(noted).toEqual([{ phase: 'stage', done: 0, note: expect.stringMatching(/checking every row/) }]);
    // Before the note the stage count had moved on; after it, it starts again from nothing.
    const at = seen.findIndex((p) => p.note);
    expect(seen.slice(0, at).some((p) => p.phase === 'stage' && p.done > 0)).toBe(true);
    expect(seen.slice(at + 1).filter((p) => p.phase === 'stage').map((p) => p.done)).toEqual([1, 2]);
  });

  it('says why it stepped aside, without the phone number a wrong cell held', async () => {
    const { shortcut } = await importBothWays([writeSet(withContact(7, contact(7, { attempts: '+92 300 7654321' })), GOOD_EVENTS)]);
    expect(shortcut.summary.method).toBe('staged');
    expect(shortcut.summary.onePassAbandoned).toMatch(/convert|cast/i);
    expect(shortcut.summary.onePassAbandoned).not.toMatch(/7654321/);
  });

  it('steps aside for values with spaces around them, which the staged path trims', async () => {
    const padded = withContact(2, contact(2, { name: ' Seeker 2 ', status: ' active' }).replace('ar;en', ' ar ; en '));
    const { shortcut, staged } = await importBothWays([writeSet(padded, GOOD_EVENTS)]);
    expect(shortcut.summary.method).toBe('staged');
    expect(shortcut.tables).toEqual(staged.tables);
    const c2 = (shortcut.tables.contacts as { contact_id: string; name: string; overall_status: string; languages: string[] }[]).find((c) => c.contact_id === 'c2')!;
    expect([c2.name, c2.overall_status, c2.languages]).toEqual(['Seeker 2', 'active', ['ar', 'en']]);
  });

  it('keeps no-break spaces and tabs (only plain spaces are trimmed), on both paths', async () => {
    const nbsp = withContact(2, contact(2, { name: '\tSeeker\u00a02\u00a0' }));
    const { shortcut, staged } = await importBothWays([writeSet(nbsp, GOOD_EVENTS)]);
    expect(shortcut.summary.method).toBe('one-pass');
    expect(shortcut.tables).toEqual(staged.tables);
    expect((shortcut.tables.contacts as { contact_id: string; name: string }[]).find((c) => c.contact_id === 'c2')!.name).toBe('\tSeeker\u00a02\u00a0');
  });

  it('stores padded numbers, dates and list items as the staged path does, without stepping aside', async () => {
    const { shortcut, staged } = await importBothWays([writeSet(withContact(4, contact(4, { attempts: ' 3 ', created: ' 2026-03-05T10:00:00Z', locations: '100259978 ; 100089589 ' })), GOOD_EVENTS)]);
    expect(shortcut.summary.method).toBe('one-pass');
    expect(shortcut.tables).toEqual(staged.tables);
    const c4 = (shortcut.tables.contacts as { contact_id: string; attempts_count: number; location_ids: string[] }[]).find((c) => c.contact_id === 'c4')!;
    expect([c4.attempts_count, c4.location_ids]).toEqual([3, ['100259978', '100089589']]);
  });

  it('relies on NOT NULL for required values: every required canonical column is NOT NULL where it is stored', async () => {
    const t = await createTestDb();
    const notNull = new Set((await rows<{ c: string }>(t.db, "SELECT table_name || '.' || column_name AS c FROM duckdb_columns() WHERE NOT is_nullable")).map((r) => r.c));
    t.close();
    for (const kind of CANONICAL_KINDS) for (const col of kind.required) expect(notNull.has(`${kind.kind}.${col}`), `${kind.kind}.${col}`).toBe(true);
  });

  it('merges a re-import over stored data as the staged path does: updates, new rows, and fields a file does not carry kept', async () => {
    const first = writeSet(GOOD_CONTACTS, GOOD_EVENTS);
    // The second export: ten contacts moved on, five new ones, events again with five new; and a
    // narrower contacts file (no phones, e-mails, languages...) whose missing fields must stay as stored.
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'contacts.csv'), ['contact_id,created_at,contact_type,overall_status,seeker_path',
      ...Array.from({ length: 45 }, (_, i) => `c${i},${day(i)}T10:00:00Z,access,${i < 10 ? 'closed' : 'active'},${i < 10 ? 'ongoing' : 'met'}`)].join('\n'));
    fs.writeFileSync(path.join(dir, 'events.csv'), [EVENTS_HEADER, ...GOOD_EVENTS,
      ...Array.from({ length: 5 }, (_, i) => `e${40 + i},c${i},2026-04-0${1 + i}T11:00:00Z,met,m1,`)].join('\n'));
    const { shortcut, staged } = await importBothWays([dir], [[first]]);
    expect(shortcut.summary.method).toBe('one-pass');
    expect(staged.summary.method).toBe('staged');
    expect(shortcut.summary.counts).toEqual(staged.summary.counts);
    expect(shortcut.summary.counts?.contacts).toEqual({ added: 5, updated: 40 });
    expect(shortcut.summary.counts?.events).toEqual({ added: 5, updated: 40 });
    expect(shortcut.tables).toEqual(staged.tables);
    const c3 = (shortcut.tables.contacts as { contact_id: string; overall_status: string; languages: string[]; phone_hashes: string[]; import_version: number }[])
      .find((c) => c.contact_id === 'c3')!;
    expect([c3.overall_status, c3.languages, c3.phone_hashes.length, c3.import_version]).toEqual(['closed', ['ar', 'en'], 1, 2]);
  });

  it('steps aside on a re-import too when a row is bad, and stores nothing of the bad row', async () => {
    const first = writeSet(GOOD_CONTACTS, GOOD_EVENTS);
    const bad = writeSet(withContact(12, contact(12, { created: 'yesterday' })), GOOD_EVENTS);
    const { shortcut, staged } = await importBothWays([bad], [[first]]);
    expect(shortcut.summary.method).toBe('staged');
    expect(shortcut.summary.issues).toEqual(staged.summary.issues);
    expect(shortcut.summary.issues).toEqual([expect.objectContaining({ row: 13, field: 'created_at' })]);
    expect(shortcut.tables).toEqual(staged.tables);
  });

  it('is not taken for D.T files or two files of one table', async () => {
    const mixed = await createTestDb();
    const dir = writeSet(GOOD_CONTACTS, GOOD_EVENTS);
    fs.copyFileSync(path.join(DT_SAMPLES, 'rest', 'users', fs.readdirSync(path.join(DT_SAMPLES, 'rest', 'users')).find((f) => f.includes('get_users'))!), path.join(dir, 'get_users.json'));
    expect((await mixed.importAll([dir])).method).toBe('staged');
    mixed.close();

    const twice = await createTestDb();
    const set = writeSet(GOOD_CONTACTS, GOOD_EVENTS);
    const other = writeSet(GOOD_CONTACTS.map((c) => c.replace(/^c/, 'd')), []);
    fs.rmSync(path.join(other, 'events.csv'));
    expect((await twice.importAll([path.join(set, 'contacts.csv'), path.join(other, 'contacts.csv')])).method).toBe('staged');
    twice.close();
  });
});
