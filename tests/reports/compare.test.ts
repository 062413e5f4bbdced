// compare=previous on a tiny hand-made canonical dataset, with every expected number worked out by
// hand below. The previous window has the current one's length and ends the day before `from`;
// its contacts are moved forward by that length, so a contact created at from - L + x lands in
// the current bucket that holds from + x (not in the bucket of its own date).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installReportMacros, runReport } from '../../server/core/reports/registry.ts';
import { createTestDb, tempDir, type TestDb } from '../helpers.ts';

// Testland (1) > North (10) > North District (100) > Alpha City (1000), Beta Town (1001)
//              > South (11) > South District (110) > Gamma City (1100)
const LOCATIONS = [
  'location_id,name,level,parent_id',
  '1,Testland,0,',
  '10,North,1,1',
  '100,North District,2,10',
  '1000,Alpha City,3,100',
  '1001,Beta Town,3,100',
  '11,South,1,1',
  '110,South District,2,11',
  '1100,Gamma City,3,110',
];

// The window of most tests is 2026-03-01 (a Sunday) to 2026-03-14 (a Saturday): 14 days, so the
// previous window is 2026-02-15 to 2026-02-28. Weeks start on Monday: 02-23, 03-02, 03-09.
const CONTACTS = [
  'contact_id,created_at,contact_type,overall_status,seeker_path,gender,languages,sources,campaigns,location_ids,met_count',
  // current window
  'c1,2026-03-01T08:00:00Z,access,active,met,female,ar,facebook,spring,1000,2',
  'c2,2026-03-02T00:00:00Z,access,active,established,male,ar,facebook;web,spring,1001,0',
  'c3,2026-03-14T23:30:00Z,access,assigned,none,female,en,web,summer,1100,0',
  'c4,2026-03-09T12:00:00Z,access,closed,met,male,en,web,,1000,2', // no events at all
  // previous window
  'p1,2026-02-15T10:00:00Z,access,active,met,female,ar,facebook,spring,1000,1', // -> 03-01, week of 02-23
  'p2,2026-02-16T00:00:00Z,access,closed,attempted,male,ur,web,summer,1100,0', // -> 03-02, week of 03-02
  'p3,2026-02-28T23:59:00Z,access,active,established,female,en,web,spring,1001,0', // -> 03-14 23:59, week of 03-09
  // outside both 14-day windows
  'p0,2026-02-14T12:00:00Z,access,active,none,male,en,facebook,,1000,0',
  'c5,2026-03-15T00:00:00Z,access,active,none,female,en,web,,1000,0',
  'c6,2026-03-31T23:00:00Z,access,new,none,female,en,web,,1100,0',
  'j1,2026-01-29T00:00:00Z,access,active,none,male,en,web,,1000,0',
  'j0,2026-01-28T23:59:00Z,access,active,none,male,en,web,,1000,0',
  // never a seeker
  'u1,2026-03-05T00:00:00Z,user,,,,,,,1000,0',
];

const EVENTS = [
  'event_id,contact_id,occurred_at,kind,field,new_value',
  'e1,c1,2026-03-02T10:00:00Z,seeker_path_changed,seeker_path,established',
  'e2,c1,2026-03-05T10:00:00Z,met,quick_button_meeting_complete,1',
  'e3,c1,2026-03-20T10:00:00Z,met,quick_button_meeting_complete,2',
  'e4,c1,2026-05-15T10:00:00Z,seeker_path_changed,seeker_path,ongoing', // 75 days after creation
  'e5,c2,2026-03-02T09:00:00Z,attempt,quick_button_no_answer,1',
  'e6,c2,2026-03-03T09:00:00Z,established,quick_button_contact_established,1',
  'e7,c3,2026-03-14T23:45:00Z,assigned,assigned_to,',
  'e8,p1,2026-02-20T10:00:00Z,met,quick_button_meeting_complete,1',
  'e9,p2,2026-02-17T10:00:00Z,attempt,quick_button_no_answer,1',
  'e10,p3,2026-03-01T10:00:00Z,established,quick_button_contact_established,1',
];

let t: TestDb;
beforeAll(async () => {
  const dir = tempDir('handoff-compare-');
  fs.writeFileSync(path.join(dir, 'locations.csv'), LOCATIONS.join('\n'));
  fs.writeFileSync(path.join(dir, 'contacts.csv'), CONTACTS.join('\n'));
  fs.writeFileSync(path.join(dir, 'events.csv'), EVENTS.join('\n'));
  t = await createTestDb();
  const summary = await t.importAll([dir]);
  expect(summary.counts).toMatchObject({ contacts: { added: 13 }, events: { added: 10 }, locations: { added: 8 } });
  await installReportMacros(t.db.connection);
});
afterAll(() => t?.close());

const run = async (name: string, params: Record<string, string>) => (await runReport(t.db.connection, name, params)).rows as Record<string, unknown>[];
const pick = (rows: Record<string, unknown>[], cols: string[]) => rows.map((r) => cols.map((c) => r[c]));

const WINDOW = { from: '2026-03-01', to: '2026-03-14', compare: 'previous' };

describe('demand with compare=previous', () => {
  it('puts each previous contact in the week that holds its position in the window, per city', async () => {
    const rows = await run('demand', { ...WINDOW, grain: 'week', level: '3' });
    expect(pick(rows, ['period', 'breakdown', 'contacts', 'previous_contacts', 'delta', 'delta_pct'])).toEqual([
      ['2026-02-23', 'Alpha City', 1, 1, 0, 0], // c1 03-01 | p1 02-15 + 14 days
      ['2026-03-02', 'Beta Town', 1, 0, 1, null], // c2
      ['2026-03-02', 'Gamma City', 0, 1, -1, -100], // p2 02-16 + 14 days
      ['2026-03-09', 'Alpha City', 1, 0, 1, null], // c4
      ['2026-03-09', 'Gamma City', 1, 0, 1, null], // c3 on the last evening of the window
      ['2026-03-09', 'Beta Town', 0, 1, -1, -100], // p3 on the last minute of the previous window
    ]);
  });

  it('rolls cities up to admin1 regions and countries', async () => {
    expect(pick(await run('demand', { ...WINDOW, grain: 'week', level: '1' }), ['period', 'region_id', 'breakdown', 'contacts', 'previous_contacts'])).toEqual([
      ['2026-02-23', '10', 'North', 1, 1],
      ['2026-03-02', '10', 'North', 1, 0],
      ['2026-03-02', '11', 'South', 0, 1],
      ['2026-03-09', '10', 'North', 1, 1],
      ['2026-03-09', '11', 'South', 1, 0],
    ]);
    expect(pick(await run('demand', { ...WINDOW, grain: 'week' }), ['period', 'breakdown', 'contacts', 'previous_contacts', 'delta', 'delta_pct'])).toEqual([
      ['2026-02-23', 'Testland', 1, 1, 0, 0],
      ['2026-03-02', 'Testland', 1, 1, 0, 0],
      ['2026-03-09', 'Testland', 2, 1, 1, 100],
    ]);
  });

  it('uses a previous window of equal length, not the previous calendar month', async () => {
    // March has 31 days, so the previous window is 01-29 .. 02-28: j1 (01-29 00:00) is in it,
    // j0 (one minute earlier) is not. Current: c1-c6; previous: j1, p0, p1, p2, p3.
    const rows = await run('demand', { from: '2026-03-01', to: '2026-03-31', grain: 'month', compare: 'previous' });
    expect(pick(rows, ['period', 'breakdown', 'contacts', 'previous_contacts', 'delta', 'delta_pct'])).toEqual([
      ['2026-03-01', 'Testland', 6, 5, 1, 20],
    ]);
  });

  it('counts a contact with two sources under each, in both windows', async () => {
    expect(pick(await run('demand', { ...WINDOW, grain: 'month', by: 'source' }), ['breakdown', 'contacts', 'previous_contacts'])).toEqual([
      ['web', 3, 2], // c2, c3, c4 | p2, p3
      ['facebook', 2, 1], // c1, c2 | p1
    ]);
  });

  it('leaves the comparison columns empty without compare=previous', async () => {
    const rows = await run('demand', { from: WINDOW.from, to: WINDOW.to, grain: 'month' });
    expect(pick(rows, ['breakdown', 'contacts', 'previous_contacts', 'delta', 'delta_pct'])).toEqual([['Testland', 4, null, null, null]]);
  });
});

describe('funnel and contacts_by_status with compare=previous', () => {
  it('gives the previous window\'s stage counts, conversions and the changes', async () => {
    // current: c1 met, c2 established, c3 none, c4 met; previous: p1 met, p2 attempted, p3 established
    const rows = await run('funnel', WINDOW);
    expect(pick(rows, ['stage', 'contacts_now', 'reached', 'conversion_from_previous_pct', 'previous_contacts_now', 'previous_reached',
      'previous_conversion_from_previous_pct', 'reached_delta', 'conversion_delta_pts'])).toEqual([
      ['none', 1, 4, null, 0, 3, null, 1, null],
      ['attempted', 0, 3, 75, 1, 3, 100, 0, -25],
      ['established', 1, 3, 100, 1, 2, 66.7, 1, 33.3],
      ['scheduled', 0, 2, 66.7, 0, 1, 50, 1, 16.7],
      ['met', 2, 2, 100, 1, 1, 100, 1, 0],
      ['ongoing', 0, 0, 0, 0, 0, 0, 0, 0],
      ['coaching', 0, 0, null, 0, 0, null, 0, null],
    ]);
  });

  it('gives the previous window\'s status counts and the changes', async () => {
    expect(pick(await run('contacts_by_status', WINDOW), ['overall_status', 'contacts', 'share_pct', 'previous_contacts', 'delta', 'delta_pct'])).toEqual([
      ['assigned', 1, 25, 0, 1, null],
      ['active', 2, 50, 2, 0, 0],
      ['closed', 1, 25, 1, 0, 0],
    ]);
  });
});

describe('campaign_response with compare=previous', () => {
  const cols = ['place', 'campaign_or_source', 'new_contacts', 'established_pct', 'met_pct', 'later_pct', 'meetings', 'meetings_per_contact',
    'contacts_without_history', 'previous_new_contacts', 'previous_met_pct', 'previous_meetings_per_contact', 'new_contacts_delta', 'met_delta_pts'];

  it('judges each contact within 60 days of its creation, per city and campaign', async () => {
    expect(pick(await run('campaign_response', WINDOW), cols)).toEqual([
      // c1: established 03-02, met 03-05 and 03-20 (2 meetings), ongoing only after 75 days | p1 met
      ['Alpha City', 'spring', 1, 100, 100, 0, 2, 2, 0, 1, 100, 1, 0, 0],
      // c4 has no events: judged by its current stage (met) and met counter (2)
      ['Alpha City', null, 1, 100, 100, 0, 2, 2, 1, 0, null, null, 1, null],
      ['Beta Town', 'spring', 1, 100, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], // c2 | p3
      ['Gamma City', 'summer', 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0], // c3 | p2
    ]);
  });

  it('follows the horizon: 10 days leaves c1 one meeting, 90 days reaches ongoing', async () => {
    const short = await run('campaign_response', { ...WINDOW, within_days: '10', campaign: 'spring', level: '3' });
    expect(pick(short, ['place', 'campaign_or_source', 'meetings', 'later_pct'])).toEqual([
      ['Alpha City', 'spring', 1, 0],
      ['Beta Town', 'spring', 0, 0],
    ]);
    const long = await run('campaign_response', { ...WINDOW, within_days: '90', campaign: 'spring' });
    expect(pick(long, ['place', 'meetings', 'later_pct'])).toEqual([['Alpha City', 2, 100], ['Beta Town', 0, 0]]);
  });

  it('compares sources per country, a two-source contact counting under each', async () => {
    expect(pick(await run('campaign_response', { ...WINDOW, by: 'source', level: '0' }), cols)).toEqual([
      // facebook: c1 (met, 2 meetings), c2 | p1 (met, 1 meeting)
      ['Testland', 'facebook', 2, 100, 50, 0, 2, 1, 0, 1, 100, 1, 1, -50],
      // web: c2, c3, c4 (met by its current stage, 2 meetings) | p2, p3
      ['Testland', 'web', 3, 66.7, 33.3, 0, 2, 0.667, 1, 2, 0, 0, 1, 33.3],
    ]);
  });
});
