// The oracles' shared reading of the fixtures: the SOURCE files (D.T REST JSON, canonical CSVs)
// parsed with JSON.parse / csv-parse into plain objects, plus the few definitions every report
// shares (places, contact filters, days). Nothing here touches the database, the importer or the
// report SQL: see README.md.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export const DAY_MS = 86_400_000;

/** D.T's seeker-path stages, in their order. */
export const SEEKER_PATH_STAGES = ['none', 'attempted', 'established', 'scheduled', 'met', 'ongoing', 'coaching'] as const;
export const stageRank = (stage: string | null): number => SEEKER_PATH_STAGES.indexOf((stage ?? 'none') as (typeof SEEKER_PATH_STAGES)[number]);

export interface OracleContact {
  id: string;
  name: string | null;
  /** 'access' is an outreach contact (a seeker); anything else never counts in a report. */
  type: string;
  createdMs: number;
  lastModifiedMs: number | null;
  status: string | null;
  seekerPath: string | null;
  gender: string | null;
  languages: string[];
  sources: string[];
  campaigns: string[];
  locationIds: number[];
  assignedTo: string | null;
  /** Raw, as the source wrote them (the fixtures are synthetic, so tests may read them). */
  phones: string[];
  emails: string[];
  metCount: number;
}

export interface OracleUser {
  id: string;
  name: string;
  roles: string[];
  gender: string | null;
  languages: string[];
  locationIds: number[];
  workload: string | null;
  /** null: none recorded, the report's default capacity applies. */
  capacity: number | null;
  /** Inclusive days, YYYY-MM-DD. */
  unavailable: { start: string; end: string }[];
}

export interface OracleEvent {
  id: string;
  contactId: string;
  atMs: number;
  kind: string;
  actorId: string | null;
  targetUserId: string | null;
  newValue: string | null;
}

export interface OracleLocation { id: number; name: string; level: number | null; parentId: number | null; lat: number | null; lon: number | null }

export interface World {
  /** The latest day anything happened in the data (the reports' default as-of date). */
  asOf: string;
  contacts: OracleContact[];
  contactsById: Map<string, OracleContact>;
  /** Every user: multipliers, dispatchers and admins alike. */
  users: OracleUser[];
  usersById: Map<string, OracleUser>;
  /** In time order, ties by event id (as the reports order them). */
  events: OracleEvent[];
  eventsByContact: Map<string, OracleEvent[]>;
  locations: Map<number, OracleLocation>;
}

function buildWorld(contacts: OracleContact[], users: OracleUser[], events: OracleEvent[], locations: OracleLocation[]): World {
  events.sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const eventsByContact = new Map<string, OracleEvent[]>();
  for (const e of events) {
    const list = eventsByContact.get(e.contactId) ?? [];
    list.push(e);
    eventsByContact.set(e.contactId, list);
  }
  let latest = 0;
  for (const c of contacts) latest = Math.max(latest, c.createdMs, c.lastModifiedMs ?? 0);
  for (const e of events) latest = Math.max(latest, e.atMs);
  return {
    asOf: isoDay(latest),
    contacts,
    contactsById: new Map(contacts.map((c) => [c.id, c])),
    users,
    usersById: new Map(users.map((u) => [u.id, u])),
    events,
    eventsByContact,
    locations: new Map(locations.map((l) => [l.id, l])),
  };
}

// ---------------------------------------------------------------------------------------------
// The D.T samples (REST JSON)

const QUICK_BUTTONS: Record<string, string> = {
  quick_button_no_answer: 'attempt',
  quick_button_contact_established: 'established',
  quick_button_meeting_scheduled: 'scheduled',
  quick_button_meeting_complete: 'met',
  quick_button_no_show: 'no_show',
};

const readJson = (file: string): any => JSON.parse(fs.readFileSync(file, 'utf8'));
const textOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The REST list posts, user details, activity logs and comments, and the grid TSV of a D.T samples folder. */
export function loadDtSamplesWorld(root: string): World {
  // The GET pages as admin see every contact; a contact on two pages is the same post.
  const listDir = path.join(root, 'rest', 'contacts_list');
  const posts = new Map<string, any>();
  for (const f of fs.readdirSync(listDir).filter((f) => f.startsWith('get_contacts_limit100'))) {
    for (const p of readJson(path.join(listDir, f)).posts) posts.set(String(p.ID), p);
  }
  const channel = (v: unknown): string[] => (Array.isArray(v) ? v.map((c: { value: string }) => String(c.value)) : []);
  const contacts: OracleContact[] = [...posts.values()].map((p) => ({
    id: String(p.ID),
    name: p.name ?? p.post_title ?? null,
    type: p.type?.key ?? 'access',
    createdMs: Number(p.post_date.timestamp) * 1000,
    lastModifiedMs: p.last_modified ? Number(p.last_modified.timestamp) * 1000 : null,
    status: p.overall_status?.key ?? null,
    seekerPath: p.seeker_path?.key ?? null,
    gender: p.gender?.key ?? null,
    languages: p.languages ?? [],
    sources: p.sources ?? [],
    campaigns: p.campaigns ?? [],
    locationIds: (p.location_grid ?? []).map((l: { id: number }) => Number(l.id)),
    assignedTo: p.assigned_to?.id ? String(p.assigned_to.id) : null,
    phones: channel(p.contact_phone),
    emails: channel(p.contact_email),
    metCount: Number(p.quick_button_meeting_complete ?? 0),
  }));

  const detailsDir = path.join(root, 'rest', 'users', 'user_detail');
  const users: OracleUser[] = fs.readdirSync(detailsDir).filter((f) => f.endsWith('_details.json')).map((f) => {
    const d = readJson(path.join(detailsDir, f));
    return {
      id: String(d.user_id),
      name: d.display_name,
      roles: d.roles ?? [],
      gender: textOrNull(d.gender),
      languages: Array.isArray(d.languages) ? d.languages : [],
      locationIds: (d.user_location?.location_grid ?? []).map((l: { id: number }) => Number(l.id)),
      workload: textOrNull(d.workload_status),
      capacity: null, // D.T has no capacity field
      unavailable: Array.isArray(d.dates_unavailable)
        ? d.dates_unavailable.map((r: { start_date: string; end_date: string }) => ({ start: r.start_date, end: r.end_date }))
        : [],
    };
  });
  // The activity log names users by display name only.
  const userIdByName = new Map(users.map((u) => [u.name, u.id]));

  const settings = readJson(path.join(root, 'rest', 'contacts_settings.json')).fields;
  const keyOfLabel = (field: string, label: string): string | null => {
    for (const [key, option] of Object.entries(settings[field].default as Record<string, { label: string }>)) {
      if (option.label === label) return key;
    }
    return null;
  };

  const events: OracleEvent[] = [];
  const activityDir = path.join(root, 'rest', 'activity');
  for (const f of fs.readdirSync(activityDir)) {
    const contactId = /^contact_(\d+)_activity\.json$/.exec(f)?.[1];
    const body = readJson(path.join(activityDir, f));
    if (!contactId || !Array.isArray(body.activity)) continue; // the 403 bodies of private contacts
    for (const a of body.activity) {
      const note: string = a.object_note;
      const value = note.includes(': ') ? note.slice(note.indexOf(': ') + 2) : '';
      const event: OracleEvent = {
        id: `dt:${a.histid}`, contactId, atMs: Number(a.hist_time) * 1000, kind: 'other',
        actorId: userIdByName.get(a.name) ?? null, targetUserId: null, newValue: null,
      };
      if (a.meta_key === '' && note.endsWith(' accepted assignment')) event.kind = 'accepted';
      else if (a.meta_key === '' && note.endsWith(' declined assignment')) event.kind = 'declined';
      // "Nobody" is an unassignment: no target, which no episode starts from.
      else if (a.meta_key === 'assigned_to') Object.assign(event, { kind: 'assigned', targetUserId: userIdByName.get(value) ?? null });
      else if (a.meta_key === 'overall_status') Object.assign(event, { kind: 'status_changed', newValue: keyOfLabel('overall_status', value) });
      else if (a.meta_key === 'seeker_path') Object.assign(event, { kind: 'seeker_path_changed', newValue: keyOfLabel('seeker_path', value) });
      else if (a.meta_key === 'requires_update') event.kind = value.toLowerCase() === 'yes' ? 'update_requested' : 'update_answered';
      else if (QUICK_BUTTONS[a.meta_key]) event.kind = QUICK_BUTTONS[a.meta_key]!;
      events.push(event);
    }
  }
  const singleDir = path.join(root, 'rest', 'single');
  for (const f of fs.readdirSync(singleDir).filter((f) => f.endsWith('_comments.json'))) {
    for (const c of readJson(path.join(singleDir, f)).comments as Record<string, string>[]) {
      // A comment is its author's activity on the contact.
      events.push({
        id: `dt:comment:${c.comment_ID}`, contactId: c.comment_post_ID!, atMs: Date.parse(`${c.comment_date_gmt!.replace(' ', 'T')}Z`),
        kind: 'comment', actorId: textOrNull(c.user_id), targetUserId: null, newValue: null,
      });
    }
  }

  const [header, ...lines] = fs.readFileSync(path.join(root, 'location_grid.tsv'), 'utf8').trim().split('\n');
  const columns = header!.split('\t');
  const locations: OracleLocation[] = lines.map((line) => {
    const cells = line.split('\t');
    const cell = (name: string) => cells[columns.indexOf(name)]!;
    const num = (name: string) => (cell(name) === 'NULL' || cell(name) === '' ? null : Number(cell(name)));
    const id = Number(cell('grid_id'));
    const parentId = num('parent_id');
    return { id, name: cell('name'), level: num('level'), parentId: parentId === id ? null : parentId, lat: num('latitude'), lon: num('longitude') };
  });
  return buildWorld(contacts, users, events, locations);
}

// ---------------------------------------------------------------------------------------------
// Canonical CSVs (docs/import-format.md)

/** Canonical times: ISO 8601, UTC when no zone is given. */
export function canonicalTimeMs(text: string): number {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return Date.parse(`${t}T00:00:00Z`);
  const iso = t.replace(' ', 'T');
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

function csvRows(file: string): Record<string, string>[] {
  if (!fs.existsSync(file)) return [];
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}

const list = (cell: string | undefined): string[] => (cell ?? '').split(';').map((s) => s.trim()).filter(Boolean);
const orNull = (cell: string | undefined): string | null => (cell === undefined || cell.trim() === '' ? null : cell.trim());
const numOrNull = (cell: string | undefined): number | null => (orNull(cell) === null ? null : Number(cell));

/** A canonical CSV set: contacts.csv, multipliers.csv, events.csv, locations.csv in one folder (any may be missing). */
export function loadCanonicalWorld(dir: string): World {
  const contacts: OracleContact[] = csvRows(path.join(dir, 'contacts.csv')).map((r) => ({
    id: r.contact_id!,
    name: orNull(r.name),
    type: r.contact_type!,
    createdMs: canonicalTimeMs(r.created_at!),
    lastModifiedMs: orNull(r.last_modified) === null ? null : canonicalTimeMs(r.last_modified!),
    status: orNull(r.overall_status),
    seekerPath: orNull(r.seeker_path),
    gender: orNull(r.gender),
    languages: list(r.languages),
    sources: list(r.sources),
    campaigns: list(r.campaigns),
    locationIds: list(r.location_ids).map(Number),
    assignedTo: orNull(r.assigned_to),
    phones: list(r.phones),
    emails: list(r.emails),
    metCount: numOrNull(r.met_count) ?? 0,
  }));
  const users: OracleUser[] = csvRows(path.join(dir, 'multipliers.csv')).map((r) => ({
    id: r.user_id!,
    name: r.display_name ?? '',
    roles: list(r.roles),
    gender: orNull(r.gender),
    languages: list(r.languages),
    locationIds: list(r.location_ids).map(Number),
    workload: orNull(r.workload_status),
    capacity: numOrNull(r.capacity),
    unavailable: list(r.unavailable).map((range) => {
      const [start, end] = range.split('/');
      return { start: start!, end: end! };
    }),
  }));
  const events: OracleEvent[] = csvRows(path.join(dir, 'events.csv')).map((r) => ({
    id: r.event_id!,
    contactId: r.contact_id!,
    atMs: canonicalTimeMs(r.occurred_at!),
    kind: r.kind!,
    actorId: orNull(r.actor_id),
    targetUserId: orNull(r.target_user_id),
    newValue: orNull(r.new_value),
  }));
  const locations: OracleLocation[] = csvRows(path.join(dir, 'locations.csv')).map((r) => ({
    id: Number(r.location_id),
    name: r.name!,
    level: numOrNull(r.level),
    parentId: numOrNull(r.parent_id),
    lat: numOrNull(r.latitude),
    lon: numOrNull(r.longitude),
  }));
  return buildWorld(contacts, users, events, locations);
}

// ---------------------------------------------------------------------------------------------
// Places

/** The place itself and each place above it that the tree knows (countries point at the world, 1, which it does not). */
export function lineage(world: World, locationId: number): number[] {
  const out = [locationId];
  let current = world.locations.get(locationId);
  // The depth cap stops a loop in a hand-made tree; real trees are far shallower.
  while (current && current.parentId !== null && current.parentId !== current.id && world.locations.has(current.parentId) && out.length < 12) {
    out.push(current.parentId);
    current = world.locations.get(current.parentId);
  }
  return out;
}

/** The ancestor at the level asked for, or the place itself when it has none there. */
export function placeAtLevel(world: World, locationId: number | undefined, level: number): number | null {
  if (locationId === undefined) return null;
  return lineage(world, locationId).find((id) => world.locations.get(id)?.level === level) ?? locationId;
}

export const locationNamed = (world: World, name: string): OracleLocation | undefined =>
  [...world.locations.values()].find((l) => l.name === name);

/** A place's name, or its id when the tree does not know it. */
export const placeName = (world: World, locationId: number): string => world.locations.get(locationId)?.name ?? String(locationId);

// ---------------------------------------------------------------------------------------------
// Contact filters

/** The reports' contact filters; a region matches every place inside it. */
export interface Filters { region?: number; language?: string; gender?: string; source?: string; campaign?: string }

/** An outreach contact that passes the filters. */
export function isSeekerMatching(world: World, c: OracleContact, f: Filters): boolean {
  if (c.type !== 'access') return false;
  if (f.region !== undefined && !c.locationIds.some((l) => lineage(world, l).includes(f.region!))) return false;
  if (f.language !== undefined && !c.languages.includes(f.language)) return false;
  if (f.gender !== undefined && c.gender !== f.gender) return false;
  if (f.source !== undefined && !c.sources.includes(f.source)) return false;
  if (f.campaign !== undefined && !c.campaigns.includes(f.campaign)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Who is who

/** The users who take contacts. */
export const multipliersOf = (world: World): OracleUser[] => world.users.filter((u) => u.roles.includes('multiplier'));
export const isMultiplier = (world: World, userId: string | null): boolean =>
  userId !== null && (world.usersById.get(userId)?.roles.includes('multiplier') ?? false);
export const isOutreachContact = (world: World, contactId: string): boolean => world.contactsById.get(contactId)?.type === 'access';

// ---------------------------------------------------------------------------------------------
// Days and numbers

export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);
/** The end of a day: "now" for a report judged at that as-of date. */
export const dayEnd = (day: string): number => dayStart(day) + DAY_MS;
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => isoDay(dayStart(day) + n * DAY_MS);

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
