import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImportRefused, type ContactRow } from './types.ts';
import { buildDtLabels } from './dt-labels.ts';
import { detectDtCsv, parseDtCsv } from './dt-csv.ts';
import { parseDtRest, readDtJson } from './dt-rest.ts';

const SAMPLES = fileURLToPath(new URL('../../../fixtures/dt-samples/', import.meta.url));
const CSV = {
  shown: 'csv/2026_11_22_20_50_13_contacts_list_export__all_fields__archived_shown.csv',
  hidden: 'csv/2026_11_22_20_48_28_contacts_list_export__all_fields__archived_hidden.csv',
  visible: 'csv/2026_11_22_20_50_0_contacts_list_export__visible_fields__archived_shown.csv',
};
const text = (relative: string): string => fs.readFileSync(path.join(SAMPLES, relative), 'utf8');
const settings = readDtJson('contacts_settings.json', text('rest/contacts_settings.json'));
const labels = buildDtLabels(settings);
const now = new Date('2026-11-25T00:00:00Z');

function countBy<T>(items: readonly T[], key: (item: T) => unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[String(key(item))] = (counts[String(key(item))] ?? 0) + 1;
  return counts;
}

const HEADER = '\uFEFF"ID","Name","Contact Status","Seeker Path","Creation Date","Requires Update"';
const csvOf = (...rows: string[]): string => [HEADER, ...rows].join('\n');

describe('the D.T list CSV export', () => {
  it('is recognised by its first line', () => {
    expect(detectDtCsv('contacts_list_export.csv', text(CSV.shown).slice(0, 300))).toBe(true);
    expect(detectDtCsv('export.csv', Buffer.from(text(CSV.visible).slice(0, 300)))).toBe(true);
    expect(detectDtCsv('contacts.csv', 'contact_id,created_at,contact_type')).toBe(false);
    expect(detectDtCsv('2026_contacts_list_export.csv', '"ID","Nom","Statut"')).toBe(true);
    expect(detectDtCsv('people.csv', '"ID","Nom","Statut"')).toBe(false);
  });

  it('reads the archived-shown export: 290 contacts with the README totals', () => {
    const parsed = parseDtCsv(CSV.shown, text(CSV.shown), labels, { now });
    expect(parsed.issues).toEqual([]);
    expect(parsed.format).toBe('dt-csv');
    expect(parsed.rowsRead).toBe(290);
    expect(countBy(parsed.contacts, (c) => c.overall_status)).toEqual({ active: 188, closed: 50, assigned: 23, paused: 12, unassignable: 8, unassigned: 6, new: 3 });
    expect(countBy(parsed.contacts, (c) => c.seeker_path)).toEqual({ none: 61, attempted: 59, established: 61, scheduled: 29, met: 40, ongoing: 32, coaching: 8 });
    expect(parsed.contacts.filter((c) => c.requires_update)).toHaveLength(26);
    expect(parsed.contacts.every((c) => c.assigned_to === undefined && c.accepted === undefined)).toBe(true);
  });

  it('reads the archived-hidden export without the 50 archived contacts', () => {
    const parsed = parseDtCsv(CSV.hidden, text(CSV.hidden), labels, { now });
    expect(parsed.issues).toEqual([]);
    expect(parsed.contacts).toHaveLength(240);
    expect(parsed.contacts.some((c) => c.overall_status === 'closed')).toBe(false);
  });

  it('sets only the 8 columns of the visible-fields export, leaving the rest undefined', () => {
    const parsed = parseDtCsv(CSV.visible, text(CSV.visible), labels, { now });
    expect(parsed.issues).toEqual([]);
    expect(parsed.contacts).toHaveLength(290);
    expect(parsed.contacts[0]).toEqual({
      contact_id: '316', name: 'Kevin Brown', overall_status: 'active', seeker_path: 'none', milestones: [],
      assigned_to_name: 'Aisha Rahman', last_modified: new Date('2026-11-22T00:00:00Z'),
    } satisfies ContactRow);
  });

  it('agrees with the REST export on every field both carry', () => {
    const posts = new Map<string, Record<string, unknown>>();
    const rest = new Map<string, ContactRow>();
    for (const offset of ['000', '100', '200', '300']) {
      const file = `rest/contacts_list/get_contacts_limit100_offset${offset}.json`;
      const json = readDtJson(file, text(file)) as { posts: Array<Record<string, unknown>> };
      for (const post of json.posts) posts.set(String(post.ID), post);
      for (const contact of parseDtRest(file, json, 'contacts-list', labels, { now }).contacts) rest.set(contact.contact_id, contact);
    }
    const csv = parseDtCsv(CSV.shown, text(CSV.shown), labels, { now }).contacts;
    expect(csv).toHaveLength(290);

    const day = (date: Date | null | undefined): string | null => (date ? date.toISOString().slice(0, 10) : null);
    const comparable: Array<[string, (c: ContactRow) => unknown]> = [
      ['name', (c) => c.name], ['contact_type', (c) => c.contact_type], ['overall_status', (c) => c.overall_status],
      ['seeker_path', (c) => c.seeker_path], ['gender', (c) => c.gender], ['age_band', (c) => c.age_band],
      ['languages', (c) => c.languages], ['sources', (c) => c.sources], ['campaigns', (c) => c.campaigns], ['tags', (c) => c.tags],
      ['location_ids', (c) => c.location_ids], ['requires_update', (c) => c.requires_update],
      ['reason_closed', (c) => c.reason_closed], ['reason_paused', (c) => c.reason_paused], ['reason_unassignable', (c) => c.reason_unassignable],
      ['milestones', (c) => c.milestones], ['faith_status', (c) => c.faith_status],
      ['created (day)', (c) => day(c.created_at)], ['baptism_date (day)', (c) => day(c.baptism_date)], ['last_modified (day)', (c) => day(c.last_modified)],
      ['attempts_count', (c) => c.attempts_count], ['established_count', (c) => c.established_count], ['scheduled_count', (c) => c.scheduled_count],
      ['met_count', (c) => c.met_count], ['no_show_count', (c) => c.no_show_count], ['phones', (c) => c.phones], ['emails', (c) => c.emails],
    ];
    const disagreements: Array<[string, string, unknown, unknown]> = [];
    for (const fromCsv of csv) {
      const fromRest = rest.get(fromCsv.contact_id);
      if (!fromRest) {
        disagreements.push([fromCsv.contact_id, 'contact', null, 'only in CSV']);
        continue;
      }
      for (const [field, value] of comparable) {
        if (value(fromRest) === undefined || value(fromCsv) === undefined) disagreements.push([fromCsv.contact_id, field, 'not carried', value(fromCsv)]);
        if (JSON.stringify(value(fromRest)) !== JSON.stringify(value(fromCsv))) disagreements.push([fromCsv.contact_id, field, value(fromRest), value(fromCsv)]);
      }
      const assignee = posts.get(fromCsv.contact_id)?.assigned_to as { display?: string } | undefined;
      if ((assignee?.display ?? null) !== fromCsv.assigned_to_name) disagreements.push([fromCsv.contact_id, 'assigned_to', assignee?.display, fromCsv.assigned_to_name]);
    }
    expect(disagreements).toEqual([]);
  });
});

describe('bad CSV input', () => {
  it('refuses an empty file', () => {
    expect(() => parseDtCsv('empty.csv', '', labels)).toThrow(ImportRefused);
    expect(() => parseDtCsv('empty.csv', '\uFEFF', labels)).toThrow(/empty\.csv: the file is empty/);
  });

  it('refuses a column that is no D.T field, naming it', () => {
    const wrong = csvOf('"1","A","Active","Contact Attempted","2026-06-01",""').replace('"Seeker Path"', '"Seeker Stage"');
    try {
      parseDtCsv('export.csv', wrong, labels);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ImportRefused);
      expect((error as ImportRefused).message).toContain('unknown column "Seeker Stage"');
      expect((error as ImportRefused).field).toBe('Seeker Stage');
    }
  });

  it('refuses a file without an ID column, or with a column twice', () => {
    expect(() => parseDtCsv('export.csv', '"Name","Contact Status"\n"A","Active"', labels)).toThrow(/no ID column/);
    expect(() => parseDtCsv('export.csv', '"ID","Name","Contact Status","Contact Status"\n"1","A","Active","Active"', labels)).toThrow(/appears twice/);
  });

  it('refuses a truncated file', () => {
    const cut = text(CSV.shown).slice(0, 2000);
    expect(() => parseDtCsv(CSV.shown, cut, labels)).toThrow(ImportRefused);
    expect(() => parseDtCsv(CSV.shown, cut, labels)).toThrow(/archived_shown\.csv: not a readable CSV at line \d+/);
  });

  it('rejects unknown labels, repeated IDs, future dates and short rows with the data row and column', () => {
    const parsed = parseDtCsv(
      'export.csv',
      csvOf(
        '"1","A","Frozen","Contact Attempted","2026-06-01",""',
        '"2","B","Active","Contact Attempted","2026-06-01","yes"',
        '"3","C","Active","Contact Attempted","2027-06-01",""',
        '"3","C again","Active","Contact Attempted","2026-06-01",""',
        '"4","D","Active","Contact Attempted","2026-06-01",""',
        '"5","E","Active","Contact Attempted"',
        '"6","F","Archived","Contact Attempted","2026-02-30",""',
      ),
      labels,
      { now },
    );
    expect(parsed.issues.map((i) => [i.row, i.field, i.value, i.reason])).toEqual([
      [1, 'Contact Status', 'Frozen', 'unknown Contact Status label "Frozen"'],
      [2, 'Requires Update', 'yes', 'expected "true" or an empty cell'],
      [3, 'Creation Date', '2027-06-01', 'date is in the future'],
      [6, null, null, 'row has 4 cells, the header has 6'],
      [7, 'Creation Date', '2026-02-30', 'unparseable date'],
    ]);
    expect(parsed.contacts.map((c) => c.contact_id)).toEqual(['3', '4']);
    expect(parsed.contacts[0]!.name).toBe('C again');
    expect(parsed.rowsRead).toBe(7);
  });

  it('rejects a label it cannot map back to a key, instead of storing the label', () => {
    const withLanguages = '\uFEFF"ID","Name","Languages"\n"1","A","English;Klingon"';
    expect(parseDtCsv('export.csv', withLanguages, labels).issues).toMatchObject([{ row: 1, field: 'Languages', value: 'Klingon', reason: 'unknown Languages label "Klingon"' }]);
  });

  it('maps labels through D.T defaults when no settings came with the CSV', () => {
    const parsed = parseDtCsv('export.csv', csvOf('"1","A","Not Ready","First Meeting Complete","2026-06-01","true"'), buildDtLabels(null), { now });
    expect(parsed.contacts).toEqual([{
      contact_id: '1', name: 'A', overall_status: 'unassignable', seeker_path: 'met', created_at: new Date('2026-06-01T00:00:00Z'), requires_update: true,
    }]);
  });
});
