// A contact's D.T activity (`GET /dt-posts/v2/contacts/{ID}/activity`) turned into typed events.
// The endpoint returns human text only ("Seeker Path: Contact Attempted", "Ben Carter accepted
// assignment"): no action, user id, meta_value or old value. So each entry is recognised by its
// meta_key and field_type first and its note text second, through the table of rules below, and
// labels are turned back into keys with the instance's settings. Whatever no rule recognises is
// kept as an 'unparsed' event and counted as an issue: history is never dropped silently.
//
// Over the 312 sample activity files (5,958 entries, D.T 1.81.1, English) every entry is typed:
// unparsed kinds in the samples: none. Notes that would be unparsed are other languages (the
// notes are translated; field and option labels still map through the settings, but phrases such
// as "accepted assignment" do not), and messages from plugins or later D.T versions.
//
// Two D.T habits the reports must know about (they are faithful to D.T, not parser errors):
// - "Requires Update: No" is logged when a contact is closed or paused even if no update was
//   requested (50 of the 89 in the samples); an update_answered with no open request means nothing.
// - A "Contact Established" press on a contact not yet attempted logs two seeker path rows in the
//   same second, "Contact Established" then "Contact Attempted" (histid 989 then 990 on contact 40;
//   29 presses in the samples). Taking the last row as the stage leaves 7 sample contacts at
//   "attempted" while D.T has them at "established": use the furthest stage reached instead.
import type { EventKind, EventRow, ParsedFile } from './types.ts';
import { ImportRefused, OVERALL_STATUSES, SEEKER_PATHS, emptyParsed } from './types.ts';
import type { DtLabels } from './dt-labels.ts';
import { dateFromEpochSeconds, dateProblem, issue, isJsonObject, personName, redact } from './dt-values.ts';

/** One activity entry exactly as D.T returns it (all strings). */
export interface DtActivityEntry {
  meta_key: string;
  field_type: string;
  object_note: string;
  name: string;
  hist_time: string;
  histid: string;
  meta_id: string;
}

/** The typed part of an event; identity, time and actor come from the entry itself. */
export type ActivityChange = Pick<EventRow, 'kind'> & Partial<Pick<EventRow, 'field' | 'old_value' | 'new_value' | 'note' | 'target_name'>>;

export type ActivityOutcome = { event: ActivityChange } | { unparsed: string };

export interface ActivityRule {
  /** What the rule recognises, in D.T's words (documentation and test names). */
  name: string;
  metaKey?: string | RegExp;
  fieldType?: string | RegExp;
  note: RegExp;
  build(match: RegExpExecArray, entry: DtActivityEntry, labels: DtLabels): ActivityOutcome;
}

const REDACTED = '[redacted]';

const QUICK_BUTTON_EVENTS: Record<string, EventKind> = {
  quick_button_no_answer: 'attempt',
  quick_button_contact_established: 'established',
  quick_button_meeting_scheduled: 'scheduled',
  quick_button_meeting_complete: 'met',
  quick_button_no_show: 'no_show',
};

/** A label back to its key; D.T writes the raw key when an option has no label, so a key is accepted too. */
function optionKeyOf(labels: DtLabels, field: string, label: string): string | undefined {
  return labels.optionKey(field, label) ?? (labels.field(field)?.options.has(label) ? label : undefined);
}

function fieldName(labels: DtLabels, field: string): string {
  return labels.field(field)?.name ?? field;
}

function changed(field: string, values: Partial<ActivityChange> = {}): ActivityOutcome {
  return { event: { kind: 'field_changed', field, ...values } };
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** "Phone" from contact_phone_632 / contact_phone_632_details: the hex suffix only tells values apart. */
function channelField(metaKey: string): string {
  return metaKey.replace(/_details$/, '').replace(/_[0-9a-f]{3,}$/, '');
}

const ADDED_OR_REMOVED = /^(.*) (added to|removed from) (.+)$/s;
const FIELD_VALUE = /^(.*?): (.*)$/s;

/** Rules are tried in order: specific meta_keys first, then D.T's generic message per field type. */
export const ACTIVITY_RULES: readonly ActivityRule[] = [
  {
    name: '<name> accepted assignment',
    metaKey: '',
    note: /^(.+) accepted assignment$/s,
    build: () => ({ event: { kind: 'accepted' } }),
  },
  {
    name: '<name> declined assignment',
    metaKey: '',
    note: /^(.+) declined assignment$/s,
    build: () => ({ event: { kind: 'declined' } }),
  },
  {
    name: 'Shared with <name> / Unshared with <name>',
    metaKey: '',
    note: /^(Shared|Unshared) with (.+)$/s,
    build: (m) => changed('shares', { new_value: m[1] === 'Shared' ? 'shared' : 'unshared', target_name: personName(m[2]) }),
  },
  {
    name: 'Assigned To: <name>',
    metaKey: 'assigned_to',
    note: FIELD_VALUE,
    build: (m) => {
      const target = (m[2] ?? '').trim();
      // D.T writes "Nobody" when the assignment is cleared.
      if (target === '' || target === 'Nobody') return changed('assigned_to', { new_value: null });
      return { event: { kind: 'assigned', field: 'assigned_to', target_name: personName(target) } };
    },
  },
  {
    name: 'Contact Status: <label>',
    metaKey: 'overall_status',
    note: FIELD_VALUE,
    build: (m, _entry, labels) => {
      const key = optionKeyOf(labels, 'overall_status', m[2] ?? '');
      if (!key || !(OVERALL_STATUSES as readonly string[]).includes(key)) {
        return { unparsed: `unknown ${fieldName(labels, 'overall_status')} label "${m[2]}"` };
      }
      return { event: { kind: 'status_changed', field: 'overall_status', new_value: key } };
    },
  },
  {
    name: 'Seeker Path: <label>',
    metaKey: 'seeker_path',
    note: FIELD_VALUE,
    build: (m, _entry, labels) => {
      const key = optionKeyOf(labels, 'seeker_path', m[2] ?? '');
      if (!key || !(SEEKER_PATHS as readonly string[]).includes(key)) {
        return { unparsed: `unknown ${fieldName(labels, 'seeker_path')} label "${m[2]}"` };
      }
      return { event: { kind: 'seeker_path_changed', field: 'seeker_path', new_value: key } };
    },
  },
  {
    name: 'Requires Update: Yes / No',
    metaKey: 'requires_update',
    note: /^(.*?): (yes|no)$/is,
    build: (m) =>
      m[2]!.toLowerCase() === 'yes'
        ? { event: { kind: 'update_requested', field: 'requires_update', new_value: 'true' } }
        : { event: { kind: 'update_answered', field: 'requires_update', new_value: 'false' } },
  },
  {
    name: 'Contact Attempted / Contact Established / Meeting Scheduled / Meeting Complete / Meeting No-show: <count>',
    metaKey: /^quick_button_(no_answer|contact_established|meeting_scheduled|meeting_complete|no_show)$/,
    note: /^(.*?): (\d+)$/s,
    build: (m, entry) => ({ event: { kind: QUICK_BUTTON_EVENTS[entry.meta_key]!, field: entry.meta_key, new_value: m[2]! } }),
  },
  {
    // Phones, e-mails, addresses and social links: the value never leaves this function.
    name: 'Added / Updated / Deleted <channel>: <value> (value redacted)',
    metaKey: /^contact_/,
    fieldType: /^(communication_channel)?$/,
    note: /^(.*)$/s,
    build: (m, entry) => {
      const field = channelField(entry.meta_key);
      const verb = /^(Added|Updated|Deleted) (.+?)(?:: | from )/s.exec(m[1] ?? '');
      if (!verb) return changed(field, { note: `Changed ${field} details` });
      const note = `${verb[1]} ${verb[2]}`;
      if (verb[1] === 'Added') return changed(field, { new_value: REDACTED, note });
      if (verb[1] === 'Updated') return changed(field, { old_value: REDACTED, new_value: REDACTED, note });
      return changed(field, { old_value: REDACTED, new_value: null, note });
    },
  },
  {
    name: '<label> added to / removed from <multi-select field>',
    fieldType: 'multi_select',
    note: ADDED_OR_REMOVED,
    build: (m, entry, labels) => {
      const key = optionKeyOf(labels, entry.meta_key, m[1] ?? '');
      if (!key) return { unparsed: `unknown ${fieldName(labels, entry.meta_key)} label "${m[1]}"` };
      return changed(entry.meta_key, m[2] === 'added to' ? { new_value: key } : { old_value: key, new_value: null });
    },
  },
  {
    name: '<tag> added to / removed from Tags, Campaigns',
    fieldType: 'tags',
    note: ADDED_OR_REMOVED,
    build: (m, entry) => changed(entry.meta_key, m[2] === 'added to' ? { new_value: m[1]! } : { old_value: m[1]!, new_value: null }),
  },
  {
    name: '<place> added to / removed from locations',
    fieldType: /^location(_meta)?$/,
    note: ADDED_OR_REMOVED,
    build: (m, entry, labels) => {
      // The grid id when location_grid.tsv is known, else the place name D.T wrote.
      const place = m[1]!.trim();
      const value = String(labels.locationId(place) ?? place);
      return changed(entry.meta_key, m[2] === 'added to' ? { new_value: value } : { old_value: value, new_value: null });
    },
  },
  {
    name: '<field>: Yes / No',
    fieldType: 'boolean',
    note: /^(.*?): (yes|no)$/is,
    build: (m, entry) => changed(entry.meta_key, { new_value: m[2]!.toLowerCase() === 'yes' ? 'true' : 'false' }),
  },
  {
    name: '<field>: <number>',
    fieldType: 'number',
    note: /^(.*?): (-?\d+(?:\.\d+)?)$/s,
    build: (m, entry) => changed(entry.meta_key, { new_value: m[2]! }),
  },
  {
    name: '<field>: {<epoch seconds>} (e.g. Baptism Date)',
    fieldType: 'date',
    note: /^(.*?): \{(-?\d+)\}$/s,
    build: (m, entry) => {
      const date = dateFromEpochSeconds(m[2]);
      return date ? changed(entry.meta_key, { new_value: isoDay(date) }) : { unparsed: `unreadable date "${m[2]}"` };
    },
  },
  {
    name: '<field> removed (date)',
    fieldType: 'date',
    note: /^(.+) removed$/s,
    build: (_m, entry) => changed(entry.meta_key, { new_value: null }),
  },
  {
    name: '<field>: <label> (Gender, Age, Faith Status, Contact Type, Reason Archived/Paused/Not Ready, ...)',
    fieldType: 'key_select',
    note: FIELD_VALUE,
    build: (m, entry, labels) => {
      const key = optionKeyOf(labels, entry.meta_key, m[2] ?? '');
      if (!key) return { unparsed: `unknown ${fieldName(labels, entry.meta_key)} label "${m[2]}"` };
      return changed(entry.meta_key, { new_value: key });
    },
  },
  {
    name: '<field>: <user> (user_select)',
    fieldType: 'user_select',
    note: FIELD_VALUE,
    build: (m, entry) => changed(entry.meta_key, { target_name: personName(m[2]) }),
  },
  {
    // Contacts are often named after their phone or e-mail, so the new name is kept only redacted,
    // in the note (a personal-data column), never in new_value.
    name: '<field> changed to <text> (e.g. Name)',
    fieldType: /^(text|textarea)$/,
    note: /^(.+?) changed to (.*)$/s,
    build: (m, entry) => changed(entry.meta_key, { note: redact(m[0]) }),
  },
  {
    name: 'connections: Coached by <contact>, Added to group <group>, Connected to <contact>, ...',
    fieldType: /^connection/,
    note: /^(.+)$/s,
    build: (m, entry) => changed(entry.meta_key, { note: redact(m[1]!) }),
  },
];

function matches(pattern: string | RegExp | undefined, value: string): boolean {
  if (pattern === undefined) return true;
  return typeof pattern === 'string' ? pattern === value : pattern.test(value);
}

/** The rule that types one entry, or why none does. */
export function classifyActivity(entry: DtActivityEntry, labels: DtLabels): ActivityOutcome {
  for (const rule of ACTIVITY_RULES) {
    if (!matches(rule.metaKey, entry.meta_key) || !matches(rule.fieldType, entry.field_type)) continue;
    const match = rule.note.exec(entry.object_note);
    if (!match) continue;
    return rule.build(match, entry, labels);
  }
  return { unparsed: `no rule for this note (meta_key "${entry.meta_key}", field_type "${entry.field_type}")` };
}

/** The contact an activity file belongs to: D.T's body does not say, only the export's file name does. */
export function contactIdFromActivityFile(file: string): string | null {
  return /(?:^|[\\/])contact_(\d+)_activity\.json$/i.exec(file)?.[1] ?? null;
}

function asText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export interface DtParseOptions {
  /** The clock dates are checked against (tests pin it). */
  now?: Date;
}

/** `{"activity":[...],"total":N}` for the contact named in the file name `contact_{ID}_activity.json`. */
export function parseDtActivity(file: string, json: unknown, labels: DtLabels, options: DtParseOptions = {}): ParsedFile {
  const now = options.now ?? new Date();
  const contactId = contactIdFromActivityFile(file);
  if (contactId === null) {
    throw new ImportRefused(
      `${file}: a D.T activity file must be named contact_{ID}_activity.json, since the activity itself does not say which contact it belongs to`,
      file,
    );
  }
  if (!isJsonObject(json) || !Array.isArray(json.activity)) {
    throw new ImportRefused(`${file}: not a D.T contact activity export (expected {"activity": [...]})`, file);
  }
  const parsed = emptyParsed(file, 'dt-rest');
  parsed.rowsRead = json.activity.length;
  const seenHistIds = new Set<string>();
  json.activity.forEach((raw: unknown, index) => {
    const row = index + 1;
    const reject = (field: string | null, value: unknown, reason: string): void => {
      parsed.issues.push(issue('reject', file, row, field, value, reason));
    };
    if (!isJsonObject(raw)) return reject(null, raw, 'activity entry is not an object');
    const histid = asText(raw.histid);
    if (histid === null || !/^\d+$/.test(histid)) return reject('histid', raw.histid, 'activity entry without a numeric histid');
    if (seenHistIds.has(histid)) return reject('histid', histid, 'histid repeated within the file');
    seenHistIds.add(histid);
    const occurredAt = dateFromEpochSeconds(raw.hist_time);
    const problem = dateProblem(occurredAt, now);
    if (problem) return reject('hist_time', raw.hist_time, problem);
    const entry: DtActivityEntry = {
      meta_key: asText(raw.meta_key) ?? '',
      field_type: asText(raw.field_type) ?? '',
      object_note: asText(raw.object_note) ?? '',
      name: asText(raw.name) ?? '',
      hist_time: asText(raw.hist_time)!,
      histid,
      meta_id: asText(raw.meta_id) ?? '',
    };
    const base = {
      event_id: `dt:${histid}`,
      contact_id: contactId,
      occurred_at: occurredAt!,
      actor_name: personName(entry.name),
    };
    const outcome = classifyActivity(entry, labels);
    if ('event' in outcome) {
      parsed.events.push({ ...base, ...outcome.event });
      return;
    }
    const note = redact(entry.object_note);
    parsed.events.push({ ...base, kind: 'unparsed', field: entry.meta_key || null, note });
    parsed.issues.push(issue('unparsed', file, row, entry.meta_key || null, note, outcome.unparsed));
  });
  return parsed;
}
