import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImportRefused, type EventRow } from './types.ts';
import { buildDtLabels } from './dt-labels.ts';
import { ACTIVITY_RULES, classifyActivity, parseDtActivity, type DtActivityEntry } from './dt-activity.ts';
import { detectDtRest, parseDtRest, readDtJson } from './dt-rest.ts';
import { parseLocationGrid } from './location-grid.ts';

const SAMPLES = fileURLToPath(new URL('../../../fixtures/dt-samples/', import.meta.url));
const settings = readDtJson('contacts_settings.json', fs.readFileSync(path.join(SAMPLES, 'rest/contacts_settings.json'), 'utf8'));
const grid = parseLocationGrid('location_grid.tsv', fs.readFileSync(path.join(SAMPLES, 'location_grid.tsv'), 'utf8')).locations;
const labels = buildDtLabels(settings, grid);

function entry(meta_key: string, field_type: string, object_note: string): DtActivityEntry {
  return { meta_key, field_type, object_note, name: 'Dina Dispatcher', hist_time: '1781355474', histid: '733', meta_id: '429' };
}

type Expected = Partial<EventRow> & { kind: EventRow['kind'] };

// [meta_key, field_type, object_note, the event it must become]
const RULE_CASES: ReadonlyArray<readonly [string, string, string, Expected]> = [
  ['seeker_path', 'key_select', 'Seeker Path: Contact Attempt Needed', { kind: 'seeker_path_changed', field: 'seeker_path', new_value: 'none' }],
  ['seeker_path', 'key_select', 'Seeker Path: Contact Attempted', { kind: 'seeker_path_changed', new_value: 'attempted' }],
  ['seeker_path', 'key_select', 'Seeker Path: First Meeting Scheduled', { kind: 'seeker_path_changed', new_value: 'scheduled' }],
  ['seeker_path', 'key_select', 'Seeker Path: Being Coached', { kind: 'seeker_path_changed', new_value: 'coaching' }],
  ['overall_status', 'key_select', 'Contact Status: New Contact', { kind: 'status_changed', field: 'overall_status', new_value: 'new' }],
  ['overall_status', 'key_select', 'Contact Status: Not Ready', { kind: 'status_changed', new_value: 'unassignable' }],
  ['overall_status', 'key_select', 'Contact Status: Dispatch Needed', { kind: 'status_changed', new_value: 'unassigned' }],
  ['overall_status', 'key_select', 'Contact Status: Waiting to be accepted', { kind: 'status_changed', new_value: 'assigned' }],
  ['overall_status', 'key_select', 'Contact Status: Archived', { kind: 'status_changed', new_value: 'closed' }],
  ['assigned_to', 'user_select', 'Assigned To: Hannah Müller', { kind: 'assigned', field: 'assigned_to', target_name: 'Hannah Müller' }],
  ['assigned_to', 'user_select', 'Assigned To: Nobody', { kind: 'field_changed', field: 'assigned_to', new_value: null }],
  ['', '', 'Ben Carter accepted assignment', { kind: 'accepted', actor_name: 'Dina Dispatcher' }],
  ['', '', 'Chen Wei declined assignment', { kind: 'declined' }],
  ['quick_button_no_answer', 'number', 'Contact Attempted: 2', { kind: 'attempt', field: 'quick_button_no_answer', new_value: '2' }],
  ['quick_button_contact_established', 'number', 'Contact Established: 1', { kind: 'established', new_value: '1' }],
  ['quick_button_meeting_scheduled', 'number', 'Meeting Scheduled: 1', { kind: 'scheduled', new_value: '1' }],
  ['quick_button_meeting_complete', 'number', 'Meeting Complete: 1', { kind: 'met', new_value: '1' }],
  ['quick_button_no_show', 'number', 'Meeting No-show: 1', { kind: 'no_show', new_value: '1' }],
  ['requires_update', 'boolean', 'Requires Update: Yes', { kind: 'update_requested', field: 'requires_update', new_value: 'true' }],
  ['requires_update', 'boolean', 'Requires Update: No', { kind: 'update_answered', new_value: 'false' }],
  ['gender', 'key_select', 'Gender: Female', { kind: 'field_changed', field: 'gender', new_value: 'female' }],
  ['age', 'key_select', 'Age: 26-40 years old', { kind: 'field_changed', field: 'age', new_value: '<41' }],
  ['languages', 'multi_select', 'Hindi added to Languages', { kind: 'field_changed', field: 'languages', new_value: 'hi' }],
  ['languages', 'multi_select', 'Hindi removed from Languages', { kind: 'field_changed', field: 'languages', old_value: 'hi', new_value: null }],
  ['sources', 'multi_select', 'Phone Call added to Sources', { kind: 'field_changed', field: 'sources', new_value: 'phone' }],
  ['milestones', 'multi_select', 'Can Share Gospel/Testimony added to Faith Milestones', { kind: 'field_changed', field: 'milestones', new_value: 'milestone_can_share' }],
  ['campaigns', 'tags', 'bible-giveaway added to Campaigns', { kind: 'field_changed', field: 'campaigns', new_value: 'bible-giveaway' }],
  ['tags', 'tags', 'follow-up removed from Tags', { kind: 'field_changed', field: 'tags', old_value: 'follow-up', new_value: null }],
  ['location_grid', 'location', 'China added to locations', { kind: 'field_changed', field: 'location_grid', new_value: '100050711' }],
  ['faith_status', 'key_select', 'Faith Status: Believer', { kind: 'field_changed', field: 'faith_status', new_value: 'believer' }],
  ['reason_closed', 'key_select', 'Reason Archived: Transferred contact to partner', { kind: 'field_changed', field: 'reason_closed', new_value: 'transfer' }],
  ['reason_paused', 'key_select', "Reason Paused: Ball is in the contact's court", { kind: 'field_changed', field: 'reason_paused', new_value: 'ball_in_their_court' }],
  ['reason_unassignable', 'key_select', 'Reason Not Ready: Needs Review', { kind: 'field_changed', field: 'reason_unassignable', new_value: 'needs_review' }],
  ['baptism_date', 'date', 'Baptism Date: {1789257600}', { kind: 'field_changed', field: 'baptism_date', new_value: '2026-09-13' }],
  ['baptism_date', 'date', 'Baptism Date removed', { kind: 'field_changed', field: 'baptism_date', new_value: null }],
  ['type', 'key_select', 'Contact Type: Standard Contact', { kind: 'field_changed', field: 'type', new_value: 'access' }],
  ['name', 'text', 'Name changed to Aisha Rahman', { kind: 'field_changed', field: 'name', note: 'Name changed to Aisha Rahman' }],
  ['name', 'text', 'Name changed to grace.smith4@example.com', { kind: 'field_changed', field: 'name', note: 'Name changed to [e-mail]' }],
  ['', '', 'Shared with Aisha Rahman', { kind: 'field_changed', field: 'shares', new_value: 'shared', target_name: 'Aisha Rahman' }],
  ['contact_phone_632', 'communication_channel', 'Added Phone: +1 555 614 1278', { kind: 'field_changed', field: 'contact_phone', new_value: '[redacted]', note: 'Added Phone' }],
  ['contact_email_5cc', 'communication_channel', 'Added Email: strategist1@example.test', { kind: 'field_changed', field: 'contact_email', new_value: '[redacted]', note: 'Added Email' }],
  ['contact_phone_632', 'communication_channel', 'Updated Phone from +1 555 614 1278 to +1 555 614 9999', { kind: 'field_changed', field: 'contact_phone', old_value: '[redacted]', new_value: '[redacted]', note: 'Updated Phone' }],
  ['contact_address_0a1', 'communication_channel', 'Deleted Address: 12 Rue de la Paix', { kind: 'field_changed', field: 'contact_address', old_value: '[redacted]', new_value: null, note: 'Deleted Address' }],
];

// Notes no rule may type: they must come out as 'unparsed' with an issue.
const UNPARSED_CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['overall_status', 'key_select', 'Contact Status: Frozen'],
  ['seeker_path', 'key_select', 'Seeker Path: Baptized Everyone'],
  ['languages', 'multi_select', 'Klingon added to Languages'],
  ['', '', 'Ben Carter a accepté la mission'],
  ['custom_plugin', 'magic', 'Something a plugin wrote'],
];

describe('activity rules', () => {
  it.each(RULE_CASES)('%s / %s: "%s"', (metaKey, fieldType, note, expected) => {
    const outcome = classifyActivity(entry(metaKey, fieldType, note), labels);
    expect(outcome).toHaveProperty('event');
    const parsed = parseDtActivity('contact_40_activity.json', { activity: [entry(metaKey, fieldType, note)], total: 1 }, labels);
    expect(parsed.issues).toEqual([]);
    expect(parsed.events[0]).toMatchObject(expected);
  });

  it.each(UNPARSED_CASES)('%s / %s: "%s" stays unparsed', (metaKey, fieldType, note) => {
    const parsed = parseDtActivity('contact_40_activity.json', { activity: [entry(metaKey, fieldType, note)], total: 1 }, labels);
    expect(parsed.events).toMatchObject([{ kind: 'unparsed', note, event_id: 'dt:733', contact_id: '40' }]);
    expect(parsed.issues).toMatchObject([{ kind: 'unparsed', file: 'contact_40_activity.json', row: 1, value: note }]);
  });

  it('never keeps a raw phone or e-mail, typed or unparsed', () => {
    const activity = [
      { ...entry('contact_phone_632', 'communication_channel', 'Added Phone: +1 555 614 1278'), histid: '1' },
      { ...entry('contact_email_5cc', 'communication_channel', 'Added Email: grace.smith4@example.com'), histid: '2' },
      { ...entry('contact_phone_632_details', '', 'Phone "+1 555 614 1278" verified'), histid: '3' },
      { ...entry('mystery', 'odd', 'Called +1 555 614 1278 and wrote to grace.smith4@example.com'), histid: '4' },
    ];
    const parsed = parseDtActivity('contact_40_activity.json', { activity, total: 4 }, labels);
    expect(parsed.events).toHaveLength(4);
    const stored = JSON.stringify([parsed.events, parsed.issues]);
    expect(stored).not.toMatch(/555|@example/);
    expect(parsed.events[3]).toMatchObject({ kind: 'unparsed', note: 'Called [phone] and wrote to [e-mail]' });
  });

  it('names places by the grid id only when the grid is known', () => {
    const outcome = classifyActivity(entry('location_grid', 'location', 'China added to locations'), buildDtLabels(settings));
    expect(outcome).toMatchObject({ event: { new_value: 'China' } });
  });

  it('lists its rules by name', () => {
    const names = ACTIVITY_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('activity files', () => {
  const activity = (entries: Array<Partial<DtActivityEntry>>) => ({
    activity: entries.map((e, i) => ({ ...entry('overall_status', 'key_select', 'Contact Status: Active'), histid: String(100 + i), ...e })),
    total: entries.length,
  });
  const now = new Date('2026-11-25T00:00:00Z');

  it('takes the contact id from the file name and the time from hist_time (epoch seconds)', () => {
    const parsed = parseDtActivity('rest/activity/contact_316_activity.json', activity([{ hist_time: '1795339845', name: 'Aisha Rahman' }]), labels, { now });
    expect(parsed.events).toEqual([
      {
        event_id: 'dt:100', contact_id: '316', occurred_at: new Date(1795339845 * 1000), kind: 'status_changed',
        actor_name: 'Aisha Rahman', field: 'overall_status', new_value: 'active',
      },
    ]);
    expect(parsed.rowsRead).toBe(1);
  });

  it('refuses an activity file whose name does not say which contact it is', () => {
    expect(() => parseDtActivity('activity (1).json', activity([{}]), labels)).toThrow(ImportRefused);
    expect(() => parseDtActivity('activity (1).json', activity([{}]), labels)).toThrow(/activity \(1\)\.json.*contact_\{ID\}_activity\.json/);
  });

  it('rejects repeated histids, future and unreadable times, naming the row', () => {
    const parsed = parseDtActivity(
      'contact_9_activity.json',
      activity([{ histid: '7' }, { histid: '7' }, { histid: '8', hist_time: '1796000000' }, { histid: '9', hist_time: 'yesterday' }, { histid: '10' }]),
      labels,
      { now },
    );
    expect(parsed.issues.map((i) => [i.kind, i.row, i.field, i.reason])).toEqual([
      ['reject', 2, 'histid', 'histid repeated within the file'],
      ['reject', 3, 'hist_time', 'date is in the future'],
      ['reject', 4, 'hist_time', 'unparseable date'],
    ]);
    expect(parsed.events.map((e) => e.event_id)).toEqual(['dt:7', 'dt:10']);
  });
});

describe('the 312 sample activity files', () => {
  const dir = path.join(SAMPLES, 'rest/activity');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const results = files.map((file) => {
    const json = readDtJson(file, fs.readFileSync(path.join(dir, file), 'utf8'));
    const kind = detectDtRest(file, json);
    const entries = kind === 'contact-activity' ? (json as { activity: unknown[] }).activity.length : 0;
    return { file, kind, entries, parsed: parseDtRest(`rest/activity/${file}`, json, kind!, labels) };
  });
  const events = results.flatMap((r) => r.parsed.events);
  const issues = results.flatMap((r) => r.parsed.issues);

  it('types or keeps every entry, and throws for none', () => {
    expect(files).toHaveLength(312);
    const entries = results.reduce((sum, r) => sum + r.entries, 0);
    expect(entries).toBe(5958);
    expect(events).toHaveLength(entries);
    expect(issues.filter((i) => i.kind === 'reject')).toEqual([]);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  });

  it('skips the 10 private contacts, whose export is a 403 body', () => {
    const skipped = results.filter((r) => r.parsed.issues.some((i) => i.kind === 'skipped'));
    expect(skipped.map((r) => Number(/contact_(\d+)_/.exec(r.file)![1])).sort((a, b) => a - b)).toEqual([41, 72, 82, 88, 98, 141, 189, 199, 210, 310]);
    for (const r of skipped) {
      expect(r.kind).toBe('error-response');
      expect(r.parsed.issues).toMatchObject([{ kind: 'skipped', value: 'get_post_activity', reason: expect.stringMatching(/403.*No permissions to read: contacts/) }]);
    }
  });

  it('lists the unparsed kinds (none in the samples)', () => {
    const kinds = new Map<string, number>();
    for (const i of issues.filter((found) => found.kind === 'unparsed')) kinds.set(i.reason, (kinds.get(i.reason) ?? 0) + 1);
    console.log(`unparsed activity kinds in the samples: ${kinds.size === 0 ? 'none' : JSON.stringify([...kinds])}`);
    expect(events.filter((e) => e.kind === 'unparsed')).toHaveLength(0);
    expect(kinds.size).toBe(0);
  });

  it('agrees with a count of the notes by hand', () => {
    const byKind = new Map<string, number>();
    for (const e of events) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
    expect(Object.fromEntries(byKind)).toEqual({
      seeker_path_changed: 926, status_changed: 879, assigned: 585, accepted: 212, declined: 30,
      attempt: 304, established: 170, scheduled: 119, met: 80, no_show: 21,
      update_requested: 65, update_answered: 89, field_changed: 2478,
    });
  });

  it('keeps no phone number or e-mail address', () => {
    expect(JSON.stringify(events)).not.toMatch(/\+1 555|@example\./);
  });
});
