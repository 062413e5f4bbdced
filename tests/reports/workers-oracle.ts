// The independent oracle of the worker reports (latency, accountability, wellbeing, trial): the
// fixture's SOURCE files (D.T JSON exports, canonical CSVs) read with JSON.parse / csv-parse, and
// every measure recomputed from PRODUCT.md's definitions in plain loops. Nothing here touches the
// database, the importer or the report SQL.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { kaplanMeier, kmQuantile } from '../../server/core/stats/index.ts';

export const DAY_MS = 86_400_000;

export interface SourceContact {
  id: string;
  type: string;
  createdAt: number;
  status: string | null;
  locationIds: number[];
  languages: string[];
  gender: string | null;
  sources: string[];
  campaigns: string[];
}

export interface SourceMultiplier {
  id: string;
  name: string;
  roles: string[];
  capacity: number | null;
  workload: string | null;
  languages: string[];
  gender: string | null;
  locationIds: number[];
  unavailable: { start: string; end: string }[];
}

export interface SourceEvent {
  id: string;
  contactId: string;
  at: number;
  kind: string;
  actorId: string | null;
  targetUserId: string | null;
  newValue: string | null;
}

export interface SourceLocation { id: number; name: string; level: number | null; parentId: number | null }

export interface World {
  /** The latest day anything happened in the data (the reports' default as-of date). */
  asOf: string;
  contacts: Map<string, SourceContact>;
  multipliers: Map<string, SourceMultiplier>;
  /** Sorted by time, then id. */
  events: SourceEvent[];
  eventsByContact: Map<string, SourceEvent[]>;
  locations: Map<number, SourceLocation>;
}

function finishWorld(contacts: SourceContact[], multipliers: SourceMultiplier[], events: SourceEvent[], locations: SourceLocation[], latest: number): World {
  events.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const eventsByContact = new Map<string, SourceEvent[]>();
  for (const e of events) {
    let list = eventsByContact.get(e.contactId);
    if (!list) eventsByContact.set(e.contactId, (list = []));
    list.push(e);
  }
  return {
    asOf: new Date(latest).toISOString().slice(0, 10),
    contacts: new Map(contacts.map((c) => [c.id, c])),
    multipliers: new Map(multipliers.map((m) => [m.id, m])),
    events,
    eventsByContact,
    locations: new Map(locations.map((l) => [l.id, l])),
  };
}

// ---------------------------------------------------------------- D.T samples (REST JSON)

const QUICK_BUTTONS: Record<string, string> = {
  quick_button_no_answer: 'attempt',
  quick_button_contact_established: 'established',
  quick_button_meeting_scheduled: 'scheduled',
  quick_button_meeting_complete: 'met',
  quick_button_no_show: 'no_show',
};

export function loadDtSamples(root: string): World {
  const json = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));
  let latest = 0;
  const seen = (ms: number) => { if (ms > latest) latest = ms; };

  const settings = json(path.join(root, 'rest', 'contacts_settings.json')).fields;
  const labelToKey = (field: string, label: string): string | null => {
    for (const [key, option] of Object.entries(settings[field].default as Record<string, { label: string }>)) {
      if (option.label === label) return key;
    }
    return null;
  };

  const posts = new Map<string, any>();
  const listDir = path.join(root, 'rest', 'contacts_list');
  for (const f of fs.readdirSync(listDir).filter((f) => f.startsWith('get_contacts_limit100'))) {
    for (const p of json(path.join(listDir, f)).posts) posts.set(String(p.ID), p);
  }
  const contacts: SourceContact[] = [...posts.values()].map((p) => {
    seen(p.post_date.timestamp * 1000);
    if (p.last_modified) seen(p.last_modified.timestamp * 1000);
    return {
      id: String(p.ID),
      type: p.type?.key ?? 'access',
      createdAt: p.post_date.timestamp * 1000,
      status: p.overall_status?.key ?? null,
      locationIds: (p.location_grid ?? []).map((l: { id: number }) => Number(l.id)),
      languages: p.languages ?? [],
      gender: p.gender?.key ?? null,
      sources: p.sources ?? [],
      campaigns: p.campaigns ?? [],
    };
  });

  const detailDir = path.join(root, 'rest', 'users', 'user_detail');
  const multipliers: SourceMultiplier[] = fs.readdirSync(detailDir).filter((f) => f.endsWith('_details.json')).map((f) => {
    const u = json(path.join(detailDir, f));
    return {
      id: String(u.user_id),
      name: u.display_name,
      roles: u.roles ?? [],
      capacity: null,
      workload: u.workload_status || null,
      languages: u.languages ?? [],
      gender: u.gender || null,
      locationIds: (u.user_location?.location_grid ?? []).map((l: { id: number }) => Number(l.id)),
      unavailable: [],
    };
  });
  const userByName = new Map(multipliers.map((m) => [m.name, m.id]));

  const events: SourceEvent[] = [];
  const activityDir = path.join(root, 'rest', 'activity');
  for (const f of fs.readdirSync(activityDir)) {
    const contactId = /^contact_(\d+)_activity\.json$/.exec(f)?.[1];
    const body = json(path.join(activityDir, f));
    if (!contactId || !Array.isArray(body.activity)) continue; // the 403 bodies of private contacts
    for (const a of body.activity) {
      const at = Number(a.hist_time) * 1000;
      seen(at);
      const base = { id: `dt:${a.histid}`, contactId, at, actorId: userByName.get(a.name) ?? null, targetUserId: null, newValue: null };
      const note: string = a.object_note;
      const value = note.includes(': ') ? note.slice(note.indexOf(': ') + 2) : '';
      let typed: Partial<SourceEvent> | null = null;
      if (a.meta_key === '' && note.endsWith(' accepted assignment')) typed = { kind: 'accepted' };
      else if (a.meta_key === '' && note.endsWith(' declined assignment')) typed = { kind: 'declined' };
      else if (a.meta_key === 'assigned_to' && value !== 'Nobody') typed = { kind: 'assigned', targetUserId: userByName.get(value) ?? null };
      else if (a.meta_key === 'overall_status') typed = { kind: 'status_changed', newValue: labelToKey('overall_status', value) };
      else if (a.meta_key === 'seeker_path') typed = { kind: 'seeker_path_changed', newValue: labelToKey('seeker_path', value) };
      else if (a.meta_key === 'requires_update') typed = { kind: value.toLowerCase() === 'yes' ? 'update_requested' : 'update_answered' };
      else if (QUICK_BUTTONS[a.meta_key]) typed = { kind: QUICK_BUTTONS[a.meta_key]! };
      else typed = { kind: 'other' };
      events.push({ ...base, ...typed } as SourceEvent);
    }
  }

  const locations: SourceLocation[] = fs.readFileSync(path.join(root, 'location_grid.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
    const cells = line.split('\t');
    const parent = Number(cells[6]);
    return { id: Number(cells[0]), name: cells[1]!, level: Number(cells[2]), parentId: Number.isFinite(parent) && parent !== Number(cells[0]) ? parent : null };
  });
  return finishWorld(contacts, multipliers, events, locations, latest);
}

// ---------------------------------------------------------------- canonical CSVs

const list = (v: string | undefined) => (v ? v.split(';').map((s) => s.trim()).filter(Boolean) : []);
const time = (v: string) => Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : /T/.test(v) ? `${v}Z` : `${v}T00:00:00Z`);

export function loadCanonical(dir: string): World {
  const read = (name: string): Record<string, string>[] => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) return [];
    return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  };
  let latest = 0;
  const seen = (ms: number) => { if (ms > latest) latest = ms; };
  const contacts: SourceContact[] = read('contacts.csv').map((r) => {
    seen(time(r.created_at!));
    if (r.last_modified) seen(time(r.last_modified));
    return {
      id: r.contact_id!,
      type: r.contact_type!,
      createdAt: time(r.created_at!),
      status: r.overall_status || null,
      locationIds: list(r.location_ids).map(Number),
      languages: list(r.languages),
      gender: r.gender || null,
      sources: list(r.sources),
      campaigns: list(r.campaigns),
    };
  });
  const multipliers: SourceMultiplier[] = read('multipliers.csv').map((r) => ({
    id: r.user_id!,
    name: r.display_name ?? '',
    roles: list(r.roles),
    capacity: r.capacity ? Number(r.capacity) : null,
    workload: r.workload_status || null,
    languages: list(r.languages),
    gender: r.gender || null,
    locationIds: list(r.location_ids).map(Number),
    unavailable: list(r.unavailable).map((range) => {
      const [start, end] = range.split('/');
      return { start: start!, end: end! };
    }),
  }));
  const events: SourceEvent[] = read('events.csv').map((r) => {
    seen(time(r.occurred_at!));
    return {
      id: r.event_id!,
      contactId: r.contact_id!,
      at: time(r.occurred_at!),
      kind: r.kind!,
      actorId: r.actor_id || null,
      targetUserId: r.target_user_id || null,
      newValue: r.new_value || null,
    };
  });
  const locations: SourceLocation[] = read('locations.csv').map((r) => ({
    id: Number(r.location_id),
    name: r.name!,
    level: r.level ? Number(r.level) : null,
    parentId: r.parent_id ? Number(r.parent_id) : null,
  }));
  return finishWorld(contacts, multipliers, events, locations, latest);
}

// ---------------------------------------------------------------- definitions

export const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** The end of a day: "now" for a report judged at that as-of date. */
export const dayEnd = (day: string) => dayStart(day) + DAY_MS;
export const addDays = (day: string, n: number) => new Date(dayStart(day) + n * DAY_MS).toISOString().slice(0, 10);
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const isMultiplier = (w: World, id: string | null) => id !== null && (w.multipliers.get(id)?.roles.includes('multiplier') ?? false);
export const isAccess = (w: World, id: string) => w.contacts.get(id)?.type === 'access';

const ATTEMPT_KINDS = new Set(['attempt', 'established', 'scheduled', 'met', 'no_show']);
const PATH_ORDER = ['none', 'attempted', 'established', 'scheduled', 'met', 'ongoing', 'coaching'];
const pathAtLeast = (e: SourceEvent, stage: string) =>
  e.kind === 'seeker_path_changed' && e.newValue !== null && PATH_ORDER.indexOf(e.newValue) >= PATH_ORDER.indexOf(stage);

export const MILESTONES = ['accepted', 'first_attempt', 'established', 'first_meeting'] as const;
export type Milestone = (typeof MILESTONES)[number];

export interface Episode {
  contactId: string;
  userId: string;
  assignedAt: number;
  nextAssignedAt: number | null;
  stoppedAt: number | null;
  reachedAt: Record<Milestone, number | null>;
}

/** One episode per assignment of an outreach contact to a multiplier, until the contact's next assignment. */
export function episodesOf(w: World): Episode[] {
  const out: Episode[] = [];
  for (const [contactId, events] of w.eventsByContact) {
    if (!isAccess(w, contactId)) continue;
    const assignments = events.filter((e) => e.kind === 'assigned' && e.targetUserId !== null);
    assignments.forEach((a, i) => {
      if (!isMultiplier(w, a.targetUserId)) return;
      const next = assignments[i + 1]?.at ?? null;
      const during = events.filter((e) => e.at >= a.at && (next === null || e.at < next));
      const first = (test: (e: SourceEvent) => boolean) => during.find(test)?.at ?? null;
      out.push({
        contactId,
        userId: a.targetUserId!,
        assignedAt: a.at,
        nextAssignedAt: next,
        stoppedAt: first((e) => e.kind === 'status_changed' && (e.newValue === 'closed' || e.newValue === 'paused')),
        reachedAt: {
          accepted: first((e) => e.kind === 'accepted'),
          first_attempt: first((e) => ATTEMPT_KINDS.has(e.kind) || pathAtLeast(e, 'attempted')),
          established: first((e) => ['established', 'scheduled', 'met'].includes(e.kind) || pathAtLeast(e, 'established')),
          first_meeting: first((e) => e.kind === 'met' || pathAtLeast(e, 'met')),
        },
      });
    });
  }
  return out;
}

export interface Wait { days: number; reached: boolean; stillWaiting: boolean }

/** Days to the milestone, or to min(next assignment, close/pause, now) when not reached (censored). */
export function waitFor(e: Episode, milestone: Milestone, asOf: string): Wait {
  const now = dayEnd(asOf);
  const at = e.reachedAt[milestone];
  if (at !== null && at < now) return { days: (at - e.assignedAt) / DAY_MS, reached: true, stillWaiting: false };
  const censorAt = Math.min(e.nextAssignedAt ?? Infinity, e.stoppedAt ?? Infinity, now);
  return { days: (censorAt - e.assignedAt) / DAY_MS, reached: false, stillWaiting: censorAt === now };
}

export function naiveMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface LatencySummary { episodes: number; reached: number; censored: number; stillWaiting: number; median: number | null; p90: number | null; naiveMedian: number | null }

export function summariseWaits(waits: Wait[]): LatencySummary {
  const curve = kaplanMeier(waits.map((x) => ({ time: x.days, event: x.reached })));
  const reached = waits.filter((x) => x.reached);
  return {
    episodes: waits.length,
    reached: reached.length,
    censored: waits.length - reached.length,
    stillWaiting: waits.filter((x) => x.stillWaiting).length,
    median: kmQuantile(curve, 0.5),
    p90: kmQuantile(curve, 0.9),
    naiveMedian: naiveMedian(reached.map((x) => x.days)),
  };
}

/** The place counted for a location at a level of the tree: its ancestor there, or itself. */
export function placeAtLevel(w: World, locationId: number | undefined, level: number): number | null {
  if (locationId === undefined) return null;
  let place = w.locations.get(locationId);
  const start = locationId;
  for (let depth = 0; place && depth < 12; depth++) {
    if (place.level === level) return place.id;
    place = place.parentId === null ? undefined : w.locations.get(place.parentId);
  }
  return start;
}

/** Every ancestor of a place, itself included. */
export function lineage(w: World, locationId: number): Set<number> {
  const out = new Set<number>([locationId]);
  let place = w.locations.get(locationId);
  for (let depth = 0; place && place.parentId !== null && depth < 12; depth++) {
    out.add(place.parentId);
    place = w.locations.get(place.parentId);
  }
  return out;
}

/** Status of a contact at the end of the as-of day: its last logged change by then, else its imported status. */
export function statusAt(w: World, contactId: string, asOf: string): string | null {
  const now = dayEnd(asOf);
  let status: string | null = null;
  let logged = false;
  for (const e of w.eventsByContact.get(contactId) ?? []) {
    if (e.at >= now) break;
    if (e.kind === 'status_changed') { status = e.newValue; logged = true; }
  }
  return logged ? status : (w.contacts.get(contactId)?.status ?? null);
}

/** Episodes still with their multiplier at the end of the as-of day. */
export function openAt(e: Episode, asOf: string): boolean {
  const now = dayEnd(asOf);
  return e.assignedAt < now && (e.nextAssignedAt === null || e.nextAssignedAt >= now);
}

/** A multiplier's current contacts: open episodes whose contact is active or waiting to be accepted. */
export function currentEpisodes(w: World, episodes: Episode[], asOf: string): Episode[] {
  return episodes.filter((e) => openAt(e, asOf) && ['active', 'assigned'].includes(statusAt(w, e.contactId, asOf) ?? ''));
}

export interface OverdueRequest { contactId: string; userId: string; requestedAt: number }

/** Update requests with no answer logged after them, older than `days` at the end of the as-of day. */
export function overdueUpdateRequests(w: World, episodes: Episode[], asOf: string, days: number): OverdueRequest[] {
  const now = dayEnd(asOf);
  const out: OverdueRequest[] = [];
  for (const [contactId, events] of w.eventsByContact) {
    if (!isAccess(w, contactId)) continue;
    const seenUntilNow = events.filter((e) => e.at < now);
    const open = seenUntilNow.filter((r) => r.kind === 'update_requested' && !seenUntilNow.some((a) => a.kind === 'update_answered' && a.at > r.at));
    if (open.length === 0) continue;
    const oldest = Math.min(...open.map((r) => r.at));
    if (oldest + days * DAY_MS > now) continue;
    const episode = episodes.find((e) => e.contactId === contactId && openAt(e, asOf));
    if (episode) out.push({ contactId, userId: episode.userId, requestedAt: oldest });
  }
  return out;
}

/** Active load at the end of a day: outreach contacts assigned by then whose episode has not ended (next assignment, close or pause). */
export function loadAt(episodes: Episode[], userId: string, day: string): number {
  const end = dayEnd(day);
  let load = 0;
  for (const e of episodes) {
    if (e.userId !== userId || e.assignedAt >= end) continue;
    const endedAt = Math.min(e.nextAssignedAt ?? Infinity, e.stoppedAt ?? Infinity);
    if (endedAt >= end) load++;
  }
  return load;
}
