// The canonical format (docs/import-format.md) in CSV and in JSON gives the same stored rows, and the
// same world as D.T-shaped files of it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDb, rows, tempDir } from './helpers.ts';

const CONTACTS = [
  'contact_id,name,created_at,contact_type,overall_status,seeker_path,gender,languages,sources,campaigns,location_ids,assigned_to,accepted,phones,emails',
  'c1,Amal Haddad,2026-03-01T10:00:00Z,access,active,met,female,ar;en,facebook,ramadan-2026,100259978,m1,true,+92 300 1234567,Amal@Example.com',
  'c2,"Khan, Bilal",2026-03-02,access,assigned,none,male,ur,website_form,,100259978,m2,false,00923001234567,',
  'c3,Test User,2026-03-03,user,,,,,,,,,,,',
];
const MULTIPLIERS = ['user_id,display_name,roles,gender,languages,location_ids,workload_status,capacity,unavailable',
  'm1,Aisha Rahman,multiplier,female,ar;en,100259978,active,8,2026-12-20/2027-01-05',
  'm2,Ben Carter,multiplier,male,ur,100259978,too_many,,'];
const EVENTS = ['event_id,contact_id,occurred_at,kind,actor_id,target_user_id,field,new_value,note',
  'e1,c1,2026-03-01T11:00:00Z,assigned,d1,m1,assigned_to,m1,',
  'e2,c1,2026-03-02T09:00:00Z,accepted,m1,,,,',
  'e3,c1,2026-03-03T09:00:00Z,comment,m1,,,,"Met at the café, call +92 300 1234567 again"'];

function writeCsvSet(dir: string) {
  fs.writeFileSync(path.join(dir, 'contacts.csv'), CONTACTS.join('\n'));
  fs.writeFileSync(path.join(dir, 'multipliers.csv'), MULTIPLIERS.join('\n'));
  fs.writeFileSync(path.join(dir, 'events.csv'), EVENTS.join('\n'));
}

const JSON_SET = {
  format: 'handoff-canonical', version: 1,
  contacts: [
    { contact_id: 'c1', name: 'Amal Haddad', created_at: '2026-03-01T10:00:00Z', contact_type: 'access', overall_status: 'active', seeker_path: 'met', gender: 'female', languages: ['ar', 'en'], sources: ['facebook'], campaigns: ['ramadan-2026'], location_ids: [100259978], assigned_to: 'm1', accepted: true, phones: ['+92 300 1234567'], emails: ['Amal@Example.com'] },
    { contact_id: 'c2', name: 'Khan, Bilal', created_at: '2026-03-02', contact_type: 'access', overall_status: 'assigned', seeker_path: 'none', gender: 'male', languages: ['ur'], sources: ['website_form'], campaigns: [], location_ids: [100259978], assigned_to: 'm2', accepted: false, phones: ['00923001234567'], emails: [] },
    { contact_id: 'c3', name: 'Test User', created_at: '2026-03-03', contact_type: 'user' },
  ],
  multipliers: [
    { user_id: 'm1', display_name: 'Aisha Rahman', roles: ['multiplier'], gender: 'female', languages: ['ar', 'en'], location_ids: [100259978], workload_status: 'active', capacity: 8, unavailable: [{ start_date: '2026-12-20', end_date: '2027-01-05' }] },
    { user_id: 'm2', display_name: 'Ben Carter', roles: ['multiplier'], gender: 'male', languages: ['ur'], location_ids: [100259978], workload_status: 'too_many' },
  ],
  events: [
    { event_id: 'e1', contact_id: 'c1', occurred_at: '2026-03-01T11:00:00Z', kind: 'assigned', actor_id: 'd1', target_user_id: 'm1', field: 'assigned_to', new_value: 'm1' },
    { event_id: 'e2', contact_id: 'c1', occurred_at: '2026-03-02T09:00:00Z', kind: 'accepted', actor_id: 'm1' },
    { event_id: 'e3', contact_id: 'c1', occurred_at: '2026-03-03T09:00:00Z', kind: 'comment', actor_id: 'm1', note: 'Met at the café, call +92 300 1234567 again' },
  ],
};

async function storedWorld(inputs: (dir: string) => string[]) {
  const t = await createTestDb();
  const dir = tempDir();
  const summary = await t.importAll(inputs(dir));
  const world = {
    contacts: await rows(t.db, `SELECT contact_id, name, created_at::VARCHAR AS created_at, contact_type::VARCHAR AS type, overall_status::VARCHAR AS status,
      seeker_path::VARCHAR AS path, gender, languages, sources, campaigns, location_ids::INTEGER[] AS locations, assigned_to, accepted,
      phone_hashes, email_hashes FROM contacts ORDER BY contact_id`),
    multipliers: await rows(t.db, `SELECT user_id, display_name, roles, gender, languages, workload_status, capacity, unavailable::VARCHAR AS unavailable FROM multipliers ORDER BY user_id`),
    events: await rows(t.db, `SELECT event_id, contact_id, occurred_at::VARCHAR AS at, kind::VARCHAR AS kind, actor_id, target_user_id, note FROM events ORDER BY event_id`),
  };
  t.close();
  return { summary, world, key: t.key };
}

describe('canonical import', () => {
  it('reads the CSV set with its types, lists and hashed contact details', async () => {
    const { summary, world } = await storedWorld((dir) => { writeCsvSet(dir); return [dir]; });
    expect(summary.counts).toMatchObject({ contacts: { added: 3 }, multipliers: { added: 2 }, events: { added: 3 } });
    const [c1, c2] = world.contacts as Record<string, any>[];
    expect(c1).toMatchObject({ name: 'Amal Haddad', created_at: '2026-03-01 10:00:00', status: 'active', path: 'met', languages: ['ar', 'en'], locations: [100259978], accepted: true });
    expect(c2!.name).toBe('Khan, Bilal');
    // "+92 300 1234567" and "00923001234567" are the same number: same hash, so duplicates are found.
    expect(c1!.phone_hashes).toEqual(c2!.phone_hashes);
    expect(c1!.phone_hashes[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(world.multipliers[0]).toMatchObject({ capacity: 8, unavailable: "[{'start_date': 2026-12-20, 'end_date': 2027-01-05}]" });
    expect((world.events[2] as { note: string }).note).toBe('Met at the café, call [phone] again');
  });

  it('reads the JSON form into exactly the same rows as the CSV form', async () => {
    const csv = await storedWorld((dir) => { writeCsvSet(dir); return [dir]; });
    const json = await storedWorld((dir) => { const f = path.join(dir, 'set.json'); fs.writeFileSync(f, JSON.stringify(JSON_SET)); return [f]; });
    const withoutHashes = (w: typeof csv.world) => ({ ...w, contacts: w.contacts.map(({ phone_hashes, email_hashes, ...rest }) => ({ ...rest, phones: (phone_hashes as string[]).length, emails: (email_hashes as string[]).length })) });
    expect(withoutHashes(json.world)).toEqual(withoutHashes(csv.world));
  });

  it('updates by id on re-import, with the file\'s new values', async () => {
    const t = await createTestDb();
    const dir = tempDir();
    writeCsvSet(dir);
    await t.importAll([dir]);
    fs.writeFileSync(path.join(dir, 'contacts.csv'), CONTACTS.map((l) => l.replace('access,active,met', 'access,closed,met')).join('\n'));
    const again = await t.importAll([dir]);
    expect(again.counts!.contacts).toEqual({ added: 0, updated: 3 });
    expect(await rows(t.db, "SELECT overall_status::VARCHAR AS s, count(*)::INTEGER AS n FROM contacts WHERE contact_type = 'access' GROUP BY 1 ORDER BY 1"))
      .toEqual([{ s: 'assigned', n: 1 }, { s: 'closed', n: 1 }]);
    t.close();
  });
});

describe('one id in two files of one import', () => {
  it('is stored once (the example folder holds the same data as CSV and as JSON)', async () => {
    const t = await createTestDb();
    const example = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'canonical-example');
    const summary = await t.importAll([example]);
    const csvIds = fs.readFileSync(path.join(example, 'contacts.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(summary.counts!.contacts.added).toBe(new Set(csvIds).size);
    expect(await rows(t.db, 'SELECT count(*)::INTEGER AS n, count(DISTINCT contact_id)::INTEGER AS d FROM contacts'))
      .toEqual([{ n: new Set(csvIds).size, d: new Set(csvIds).size }]);
    t.close();
  });
});
