import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImportRefused, type ContactRow, type ParsedFile } from './types.ts';
import { buildDtLabels } from './dt-labels.ts';
import { detectDtRest, isDtSettings, parseDtRest, readDtJson, type DtRestKind } from './dt-rest.ts';

const SAMPLES = fileURLToPath(new URL('../../../fixtures/dt-samples/', import.meta.url));
const read = (relative: string): unknown => readDtJson(relative, fs.readFileSync(path.join(SAMPLES, relative), 'utf8'));
const labels = buildDtLabels(read('rest/contacts_settings.json'));
const now = new Date('2026-11-25T00:00:00Z');

function parseSample(relative: string): ParsedFile {
  const json = read(relative);
  const kind = detectDtRest(path.basename(relative), json);
  if (!kind) throw new Error(`${relative} not recognised`);
  return parseDtRest(relative, json, kind, labels, { now });
}

function countBy<T>(items: readonly T[], key: (item: T) => unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[String(key(item))] = (counts[String(key(item))] ?? 0) + 1;
  return counts;
}

const GET_PAGES = ['000', '100', '200', '300'].map((offset) => `rest/contacts_list/get_contacts_limit100_offset${offset}.json`);

describe('recognising D.T REST files', () => {
  function walk(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  }

  it('knows every sample file', () => {
    const kinds: Record<string, number> = {};
    for (const file of walk(path.join(SAMPLES, 'rest'))) {
      const kind = detectDtRest(path.basename(file), readDtJson(file, fs.readFileSync(file, 'utf8')));
      kinds[String(kind)] = (kinds[String(kind)] ?? 0) + 1;
    }
    expect(kinds).toEqual({
      'contacts-list': 7, contact: 10, 'contacts-settings': 1, 'contact-activity': 302, 'error-response': 10,
      'contact-comments': 10, 'contact-shares': 10, 'users-table': 1, 'users-by-id': 1, 'users-typeahead': 3,
      'user-details': 12, 'user-section': 96, 'user-activity-log': 12, 'dispatch-list': 8,
    } satisfies Partial<Record<DtRestKind | 'null', number>>);
  });

  it.each([
    ['rest/users/user_detail/multiplier3_user8_stats.json', 'user profile panel'],
    ['rest/users/activity_log/multiplier1_user6_dt-users_v1_activity-log.json', 'activity feed'],
    ['rest/dispatch/assignment-list_no_location.json', 'derived'],
    ['rest/single/contact_18_shares.json', 'shares'],
  ])('skips %s, saying why', (file, why) => {
    const parsed = parseSample(file);
    expect(parsed.contacts.length + parsed.multipliers.length + parsed.events.length).toBe(0);
    expect(parsed.issues).toHaveLength(1);
    expect(parsed.issues[0]).toMatchObject({ kind: 'skipped', file, row: null });
    expect(parsed.issues[0]!.reason).toContain(why);
  });

  it('reads the settings as labels only', () => {
    expect(isDtSettings(read('rest/contacts_settings.json'))).toBe(true);
    expect(parseSample('rest/contacts_settings.json')).toMatchObject({ contacts: [], multipliers: [], events: [], issues: [] });
  });
});

describe('contacts', () => {
  const pages = GET_PAGES.map(parseSample);
  const byId = new Map<string, ContactRow>();
  for (const page of pages) for (const contact of page.contacts) byId.set(contact.contact_id, contact);
  const access = [...byId.values()].filter((c) => c.contact_type === 'access');

  it('reads the 4 GET pages without issues: 290 access and 12 user contacts', () => {
    expect(pages.flatMap((p) => p.issues)).toEqual([]);
    expect(pages.map((p) => p.rowsRead)).toEqual([100, 100, 100, 2]);
    expect(access).toHaveLength(290);
    expect(countBy([...byId.values()], (c) => c.contact_type)).toEqual({ access: 290, user: 12 });
  });

  it('gives the final statuses, seeker paths and update requests of the README', () => {
    expect(countBy(access, (c) => c.overall_status)).toEqual({ active: 188, closed: 50, assigned: 23, paused: 12, unassignable: 8, unassigned: 6, new: 3 });
    expect(countBy(access, (c) => c.seeker_path)).toEqual({ none: 61, attempted: 59, established: 61, scheduled: 29, met: 40, ongoing: 32, coaching: 8 });
    expect(access.filter((c) => c.requires_update === true)).toHaveLength(26);
  });

  it('maps every field of a contact', () => {
    expect(byId.get('316')).toEqual({
      contact_id: '316', name: 'Kevin Brown', created_at: new Date(1795160651 * 1000), contact_type: 'access',
      overall_status: 'active', seeker_path: 'none', gender: 'male', age_band: '<41',
      languages: ['en'], sources: ['referral'], campaigns: [], tags: [], location_ids: [100364199],
      assigned_to: '6', accepted: true, requires_update: false,
      reason_closed: null, reason_paused: null, reason_unassignable: null, milestones: [], faith_status: null, baptism_date: null,
      attempts_count: 0, established_count: 0, scheduled_count: 0, met_count: 0, no_show_count: 0,
      phones: ['+1 555 431 5457'], emails: ['kevin.brown76@example.com'], last_modified: new Date(1795339845 * 1000),
    } satisfies ContactRow);
    expect(byId.get('74')).toMatchObject({
      baptism_date: new Date(1789257600 * 1000), faith_status: 'believer', seeker_path: 'ongoing',
      milestones: expect.arrayContaining(['milestone_baptized']), attempts_count: 1, met_count: 1,
    });
  });

  it('reads the POST list (the list page and CSV body) as the same contacts', () => {
    const post = parseSample('rest/contacts_list/post_list_all_my_contacts_limit500_offset000.json');
    expect(post.issues).toEqual([]);
    expect(post.contacts).toHaveLength(290);
    for (const contact of post.contacts) expect(contact).toEqual(byId.get(contact.contact_id));
  });

  it('leaves fields a restricted POST list did not return undefined', () => {
    const restricted = {
      posts: [
        { ID: '316', post_title: 'Kevin Brown', post_date: { timestamp: 1795160651 }, overall_status: { key: 'active' }, name: 'Kevin Brown' },
        { ID: '315', post_title: 'Lei Liu', post_date: { timestamp: 1795160000 }, name: 'Lei Liu' },
      ],
      total: 2,
    };
    const parsed = parseDtRest('post_list.json', restricted, 'contacts-list', labels, { now });
    expect(parsed.contacts[0]).toEqual({
      contact_id: '316', name: 'Kevin Brown', created_at: new Date(1795160651 * 1000), overall_status: 'active',
    });
    // Carried by the file (another post has it), so here it is empty, not unknown.
    expect(parsed.contacts[1]).toMatchObject({ overall_status: null });
    expect(parsed.contacts[1]!.seeker_path).toBeUndefined();
    expect(parsed.contacts[1]!.phones).toBeUndefined();
  });

  it('reads a single contact (integer ID) the same as the list does', () => {
    for (const id of [4, 18, 19, 24, 25, 37, 40, 44, 74, 95]) {
      const single = parseSample(`rest/single/contact_${id}.json`);
      expect(single.issues).toEqual([]);
      expect(single.contacts).toEqual([byId.get(String(id))]);
    }
  });

  it('reads empty "none" reasons and "not-set" age as empty, as the CSV shows them', () => {
    const post = { ID: '1', name: 'A', post_date: { timestamp: 1785000000 }, age: { key: 'not-set' }, reason_paused: { key: 'none' }, relation: [], subassigned_on: [], coached_by: [], baptized_by: [], people_groups: [] };
    expect(parseDtRest('list.json', { posts: [post], total: 1 }, 'contacts-list', labels, { now }).contacts[0]).toMatchObject({ age_band: null, reason_paused: null });
  });
});

describe('bad contact input', () => {
  const base = { relation: [], subassigned_on: [], coached_by: [], baptized_by: [], people_groups: [], type: { key: 'access' } };
  const list = (...posts: object[]) => ({ posts: posts.map((p, i) => ({ ...base, ID: String(i + 1), name: `C${i + 1}`, post_date: { timestamp: 1785000000 }, ...p })), total: posts.length });

  it('rejects unknown status, seeker path and type keys, naming row, field and value', () => {
    const parsed = parseDtRest('list.json', list({ overall_status: { key: 'frozen' } }, { seeker_path: { key: 'baptized' } }, { type: { key: 'robot' } }, {}), 'contacts-list', labels, { now });
    expect(parsed.issues).toEqual([
      { kind: 'reject', file: 'list.json', row: 1, field: 'overall_status', value: 'frozen', reason: 'unknown overall_status key "frozen"' },
      { kind: 'reject', file: 'list.json', row: 2, field: 'seeker_path', value: 'baptized', reason: 'unknown seeker_path key "baptized"' },
      { kind: 'reject', file: 'list.json', row: 3, field: 'type', value: 'robot', reason: 'unknown type key "robot"' },
    ]);
    expect(parsed.contacts.map((c) => c.contact_id)).toEqual(['4']);
  });

  it('rejects a repeated ID within one file', () => {
    const parsed = parseDtRest('list.json', list({ ID: '7' }, { ID: '7' }), 'contacts-list', labels, { now });
    expect(parsed.issues).toMatchObject([{ kind: 'reject', row: 2, field: 'ID', value: '7' }]);
    expect(parsed.contacts).toHaveLength(1);
  });

  it('rejects future and unreadable dates', () => {
    const parsed = parseDtRest(
      'list.json',
      list({ post_date: { timestamp: 1800000000 } }, { baptism_date: { timestamp: 'soon' } }, { post_date: undefined }, { last_modified: { timestamp: 1764633600 } }),
      'contacts-list', labels, { now },
    );
    expect(parsed.issues.map((i) => [i.row, i.field, i.reason])).toEqual([
      [1, 'post_date', 'date is in the future'],
      [2, 'baptism_date', 'unparseable date'],
      [3, 'post_date', 'post_date is missing'],
    ]);
    expect(parsed.contacts.map((c) => c.contact_id)).toEqual(['4']);
  });

  it('redacts contact details in issue values', () => {
    const parsed = parseDtRest('list.json', list({ location_grid: [{ id: 'call +1 555 431 5457', label: 'x' }] }), 'contacts-list', labels, { now });
    expect(parsed.issues[0]!.value).not.toContain('555');
  });
});

describe('unreadable files', () => {
  it('refuses an empty file', () => {
    expect(() => readDtJson('contacts.json', '')).toThrow(ImportRefused);
    expect(() => readDtJson('contacts.json', ' \n')).toThrow(/contacts\.json: the file is empty/);
  });

  it('refuses truncated JSON, naming the file', () => {
    const text = fs.readFileSync(path.join(SAMPLES, 'rest/contacts_list/get_contacts_limit100_offset000.json'), 'utf8');
    expect(() => readDtJson('get_contacts_limit100_offset000.json', text.slice(0, 5000))).toThrow(ImportRefused);
    expect(() => readDtJson('get_contacts_limit100_offset000.json', text.slice(0, 5000))).toThrow(/get_contacts_limit100_offset000\.json.*(truncated|line)/);
  });

  it('says where broken JSON breaks', () => {
    try {
      readDtJson('users.json', '{"users": [\n  {"ID": "1",}\n]}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ImportRefused);
      expect((error as ImportRefused).message).toMatch(/users\.json: not valid JSON at line 2/);
      expect((error as ImportRefused).file).toBe('users.json');
    }
  });

  it('turns a 403 body into a skipped issue, not an error', () => {
    const body = { code: 'get_post_activity', message: 'No permissions to read: contacts', data: { status: 403 } };
    expect(detectDtRest('contact_41_activity.json', body)).toBe('error-response');
    expect(parseDtRest('contact_41_activity.json', body, 'error-response', labels)).toMatchObject({
      contacts: [], events: [],
      issues: [{ kind: 'skipped', file: 'contact_41_activity.json', value: 'get_post_activity', reason: expect.stringContaining('No permissions to read: contacts') }],
    });
  });

  it('does not recognise JSON that is no D.T export', () => {
    expect(detectDtRest('x.json', { hello: 'world' })).toBeNull();
    expect(detectDtRest('x.json', [1, 2])).toBeNull();
    expect(detectDtRest('x.json', [])).toBeNull();
  });
});

describe('users', () => {
  const table = parseSample('rest/users/user_management_v1_get-users_POST_limit500.json');

  it('puts every D.T user in the multipliers with roles; 8 are multipliers', () => {
    expect(table.issues).toEqual([]);
    expect(table.multipliers).toHaveLength(13);
    const multipliers = table.multipliers.filter((m) => m.roles?.includes('multiplier'));
    expect(Object.fromEntries(multipliers.map((m) => [m.display_name, m.workload_status]))).toEqual({
      'Aisha Rahman': 'active', 'Ben Carter': 'active', 'Chen Wei': 'existing', 'Fatima Khan': 'active',
      'Gabriel Silva': 'too_many', 'Hannah Müller': 'active', 'Ibrahim Diallo': 'existing', 'Julia Martin': 'active',
    });
    expect(table.multipliers.find((m) => m.user_id === '12')).toEqual({
      user_id: '12', display_name: 'Ibrahim Diallo', login: 'multiplier7', roles: ['multiplier'], user_status: 'active',
      languages: ['fr', 'ar'], location_ids: [100074576, 100089589], workload_status: 'existing',
    });
    expect(table.multipliers.find((m) => m.user_id === '1')).toMatchObject({ roles: ['administrator'], languages: [], location_ids: [], workload_status: null });
  });

  it('reads the per-user details: gender, languages, locations, workload, unavailability', () => {
    const details = fs.readdirSync(path.join(SAMPLES, 'rest/users/user_detail')).filter((f) => f.endsWith('_details.json'))
      .flatMap((f) => parseSample(`rest/users/user_detail/${f}`).multipliers);
    expect(details).toHaveLength(12);
    expect(details.find((m) => m.user_id === '8')).toEqual({
      user_id: '8', display_name: 'Chen Wei', roles: ['multiplier'], user_status: 'active', gender: 'male',
      languages: ['zh', 'en'], location_ids: [100050711], workload_status: 'existing', unavailable: [],
    });
    expect(details.find((m) => m.user_id === '4')).toMatchObject({ gender: null, languages: [], location_ids: [] });
    const multipliers = details.filter((m) => m.roles?.includes('multiplier'));
    expect(countBy(multipliers, (m) => m.workload_status)).toEqual({ active: 5, existing: 2, too_many: 1 });
  });

  it('reads dates unavailable in both D.T forms', () => {
    const user = {
      user_id: 9, display_name: 'Fatima Khan', user_status: 'active', workload_status: 'active', gender: 'female', roles: ['multiplier'],
      dates_unavailable: [{ id: 1, start_date: '2026-12-20', end_date: '2027-01-05' }, { id: 2, start_date: 1798761600, end_date: '1799366400' }],
    };
    expect(parseDtRest('fatima_details.json', user, 'user-details', labels).multipliers[0]!.unavailable).toEqual([
      { start_date: new Date('2026-12-20T00:00:00Z'), end_date: new Date('2027-01-05T00:00:00Z') },
      { start_date: new Date(1798761600 * 1000), end_date: new Date(1799366400 * 1000) },
    ]);
    const bad = { ...user, dates_unavailable: [{ start_date: 'someday', end_date: '2027-01-05' }] };
    expect(parseDtRest('fatima_details.json', bad, 'user-details', labels).issues).toMatchObject([{ kind: 'reject', field: 'dates_unavailable' }]);
  });

  it('reads roles from the PHP-serialised get_users and names from the typeahead', () => {
    const byId = parseSample('rest/users/user_management_v1_get_users.json');
    expect(byId.multipliers).toHaveLength(13);
    expect(byId.multipliers.find((m) => m.user_id === '10')).toEqual({
      user_id: '10', display_name: 'Gabriel Silva', roles: ['multiplier'], user_status: 'active', workload_status: 'too_many',
    });
    const typeahead = parseSample('rest/users/dt_v1_users_get_users.json');
    expect(typeahead.multipliers.find((m) => m.user_id === '11')).toEqual({ user_id: '11', display_name: 'Hannah Müller' });
  });

  it('keeps no e-mail address of any user', () => {
    const all = [
      table,
      parseSample('rest/users/user_management_v1_get_users.json'),
      ...fs.readdirSync(path.join(SAMPLES, 'rest/users/user_detail')).filter((f) => f.endsWith('_details.json')).map((f) => parseSample(`rest/users/user_detail/${f}`)),
    ];
    expect(JSON.stringify(all.map((p) => p.multipliers))).not.toContain('@');
    const emailLogin = { users: [{ ID: '20', user_login: 'pat@example.org', display_name: 'pat@example.org', capabilities: ['multiplier'] }] };
    expect(parseDtRest('users.json', emailLogin, 'users-table', labels).multipliers[0]).toMatchObject({ login: null, display_name: null });
  });

  it('rejects a user ID repeated within the file', () => {
    const parsed = parseDtRest('users.json', [{ name: 'A', ID: 6 }, { name: 'B', ID: 6 }], 'users-typeahead', labels);
    expect(parsed.issues).toMatchObject([{ kind: 'reject', row: 2, field: 'ID' }]);
  });
});

describe('comments', () => {
  it('turns each comment into a comment event in UTC', () => {
    const parsed = parseSample('rest/single/contact_40_comments.json');
    expect(parsed.issues).toEqual([]);
    expect(parsed.events).toHaveLength(4);
    expect(parsed.events[3]).toEqual({
      event_id: 'dt:comment:40', contact_id: '40', occurred_at: new Date('2026-06-13T13:07:54Z'), kind: 'comment',
      actor_name: 'Dina Dispatcher', actor_id: '2', field: null, note: 'Called the hotline, wants someone to talk to.',
    });
    const all = fs.readdirSync(path.join(SAMPLES, 'rest/single')).filter((f) => f.endsWith('_comments.json')).flatMap((f) => parseSample(`rest/single/${f}`).events);
    expect(all).toHaveLength(13);
  });

  it('redacts phones and e-mails in comment text and rejects bad comments', () => {
    const comments = {
      comments: [
        { comment_ID: '1', comment_post_ID: '40', comment_author: 'Fatima Khan', comment_date_gmt: '2026-06-20 03:46:05', comment_content: 'New number +1 555 222 3333, mail ali@example.com', user_id: '9', comment_type: 'comment' },
        { comment_ID: '1', comment_post_ID: '40', comment_date_gmt: '2026-06-20 03:46:05', comment_content: 'again' },
        { comment_ID: '2', comment_post_ID: '41', comment_date_gmt: '2026-06-20 03:46:05', comment_content: 'elsewhere' },
        { comment_ID: '3', comment_post_ID: '40', comment_date_gmt: '2027-06-20 03:46:05', comment_content: 'later' },
      ],
      total: 4,
    };
    const parsed = parseDtRest('contact_40_comments.json', comments, 'contact-comments', labels, { now });
    expect(parsed.events.map((e) => e.note)).toEqual(['New number [phone], mail [e-mail]']);
    expect(parsed.issues.map((i) => [i.row, i.field, i.reason])).toEqual([
      [2, 'comment_ID', 'comment_ID repeated within the file'],
      [3, 'comment_post_ID', 'comment belongs to contact 41, but the file is named for contact 40'],
      [4, 'comment_date_gmt', 'date is in the future'],
    ]);
  });
});
