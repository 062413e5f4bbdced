// The independent side of the dispatch reports' tests (capacity, worker_gap, bottlenecks,
// duplicates, match): the fixtures' SOURCE files read with JSON.parse / csv-parse and every measure
// recomputed with plain loops, never through DuckDB or SQL. Raw phones and e-mails are read here
// (the fixtures are synthetic) so duplicates are found from the values themselves, not the hashes.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DT_SAMPLES, readJson, sampleListPosts } from '../helpers.ts';

export const DAY_MS = 86_400_000;
export const STAGES = ['none', 'attempted', 'established', 'scheduled', 'met', 'ongoing', 'coaching'];

export interface OContact {
  id: string;
  name: string | null;
  createdMs: number;
  type: string;
  status: string | null;
  path: string | null;
  gender: string | null;
  languages: string[];
  sources: string[];
  campaigns: string[];
  locations: number[];
  assignedTo: string | null;
  phones: string[];
  emails: string[];
}
export interface OMultiplier {
  id: string;
  name: string;
  roles: string[];
  gender: string | null;
  languages: string[];
  locations: number[];
  workload: string | null;
  capacity: number | null;
  unavailable: [string, string][];
}
export interface OEvent { contactId: string; atMs: number; order: number; kind: string; newValue: string | null; target: string | null }
export interface OLocation { id: number; name: string; level: number | null; parent: number | null; lat: number | null; lon: number | null }
export interface OWorld {
  contacts: OContact[];
  users: OMultiplier[];
  /** Events of each contact, in time order. */
  events: Map<string, OEvent[]>;
  locations: Map<number, OLocation>;
}

// ---------------------------------------------------------------------------------------------
// Loading

const QUICK_BUTTONS: Record<string, string> = {
  quick_button_no_answer: 'attempt',
  quick_button_contact_established: 'established',
  quick_button_meeting_scheduled: 'scheduled',
  quick_button_meeting_complete: 'met',
  quick_button_no_show: 'no_show',
};

function addEvent(events: Map<string, OEvent[]>, e: OEvent): void {
  const list = events.get(e.contactId) ?? [];
  list.push(e);
  events.set(e.contactId, list);
}

function sortEvents(events: Map<string, OEvent[]>): void {
  for (const list of events.values()) list.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
}

/** The D.T samples: REST list posts, user profile details, activity logs, the grid TSV. */
export function loadSamples(): OWorld {
  const channel = (v: unknown): string[] => (Array.isArray(v) ? v.map((c: { value: string }) => String(c.value)) : []);
  const contacts: OContact[] = sampleListPosts().map((p) => ({
    id: String(p.ID),
    name: p.name ?? p.post_title ?? null,
    createdMs: Number(p.post_date.timestamp) * 1000,
    type: p.type?.key ?? 'access',
    status: p.overall_status?.key ?? null,
    path: p.seeker_path?.key ?? null,
    gender: p.gender?.key ?? null,
    languages: p.languages ?? [],
    sources: p.sources ?? [],
    campaigns: p.campaigns ?? [],
    locations: (p.location_grid ?? []).map((l: { id: number }) => Number(l.id)),
    assignedTo: p.assigned_to?.id ? String(p.assigned_to.id) : null,
    phones: channel(p.contact_phone),
    emails: channel(p.contact_email),
  }));

  const detailsDir = path.join(DT_SAMPLES, 'rest', 'users', 'user_detail');
  const users: OMultiplier[] = fs.readdirSync(detailsDir).filter((f) => f.endsWith('_details.json')).map((f) => {
    const d = readJson(path.join(detailsDir, f)) as Record<string, any>;
    const unavailable = Array.isArray(d.dates_unavailable)
      ? d.dates_unavailable.map((r: { start_date: string; end_date: string }) => [r.start_date, r.end_date] as [string, string])
      : [];
    return {
      id: String(d.user_id),
      name: d.display_name,
      roles: d.roles ?? [],
      gender: typeof d.gender === 'string' && d.gender !== '' ? d.gender : null,
      languages: Array.isArray(d.languages) ? d.languages : [],
      locations: (d.user_location?.location_grid ?? []).map((l: { id: number }) => Number(l.id)),
      workload: d.workload_status ?? null,
      capacity: null, // D.T has no capacity field: the setting's default applies
      unavailable,
    };
  });
  const userByName = new Map(users.map((u) => [u.name, u.id]));

  const settings = readJson(path.join(DT_SAMPLES, 'rest', 'contacts_settings.json')) as any;
  const keyByLabel = (field: string) => new Map<string, string>(
    Object.entries(settings.fields[field].default as Record<string, { label: string }>).map(([key, o]) => [o.label, key]));
  const pathKey = keyByLabel('seeker_path');
  const statusKey = keyByLabel('overall_status');

  const events = new Map<string, OEvent[]>();
  const activityDir = path.join(DT_SAMPLES, 'rest', 'activity');
  for (const file of fs.readdirSync(activityDir)) {
    const contactId = /contact_(\d+)_activity/.exec(file)![1]!;
    const body = readJson(path.join(activityDir, file)) as { activity?: Record<string, string>[] };
    for (const a of body.activity ?? []) {
      const base = { contactId, atMs: Number(a.hist_time) * 1000, order: Number(a.histid), newValue: null, target: null };
      const value = a.object_note!.replace(/^[^:]*: /, '');
      if (a.meta_key === 'seeker_path') addEvent(events, { ...base, kind: 'seeker_path_changed', newValue: pathKey.get(value) ?? null });
      else if (a.meta_key === 'overall_status') addEvent(events, { ...base, kind: 'status_changed', newValue: statusKey.get(value) ?? null });
      else if (a.meta_key === 'assigned_to') addEvent(events, { ...base, kind: 'assigned', target: userByName.get(value) ?? null });
      else if (a.meta_key === '' && / accepted assignment$/.test(a.object_note!)) addEvent(events, { ...base, kind: 'accepted' });
      else if (a.meta_key === '' && / declined assignment$/.test(a.object_note!)) addEvent(events, { ...base, kind: 'declined' });
      else if (QUICK_BUTTONS[a.meta_key!]) addEvent(events, { ...base, kind: QUICK_BUTTONS[a.meta_key!]! });
    }
  }
  sortEvents(events);

  const locations = new Map<number, OLocation>();
  const [header, ...lines] = fs.readFileSync(path.join(DT_SAMPLES, 'location_grid.tsv'), 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  for (const line of lines) {
    const cells = line.split('\t');
    const cell = (name: string) => cells[cols.indexOf(name)]!;
    const num = (name: string) => (cell(name) === 'NULL' || cell(name) === '' ? null : Number(cell(name)));
    const id = Number(cell('grid_id'));
    const parent = num('parent_id');
    locations.set(id, {
      id, name: cell('name'), level: num('level'),
      // D.T's countries point at the world (1), which is not in the grid.
      parent: parent === null || parent === 1 ? null : parent,
      lat: num('latitude'), lon: num('longitude'),
    });
  }
  return { contacts, users, events, locations };
}

/** Canonical times: ISO 8601, UTC when no zone is given (docs/import-format.md). */
function canonicalMs(text: string): number {
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

/** A canonical CSV set: contacts.csv, multipliers.csv, events.csv, locations.csv in one folder. */
export function loadCanonical(dir: string): OWorld {
  const contacts: OContact[] = csvRows(path.join(dir, 'contacts.csv')).map((r) => ({
    id: r.contact_id!,
    name: orNull(r.name),
    createdMs: canonicalMs(r.created_at!),
    type: r.contact_type!,
    status: orNull(r.overall_status),
    path: orNull(r.seeker_path),
    gender: orNull(r.gender),
    languages: list(r.languages),
    sources: list(r.sources),
    campaigns: list(r.campaigns),
    locations: list(r.location_ids).map(Number),
    assignedTo: orNull(r.assigned_to),
    phones: list(r.phones),
    emails: list(r.emails),
  }));
  const users: OMultiplier[] = csvRows(path.join(dir, 'multipliers.csv')).map((r) => ({
    id: r.user_id!,
    name: r.display_name ?? '',
    roles: list(r.roles),
    gender: orNull(r.gender),
    languages: list(r.languages),
    locations: list(r.location_ids).map(Number),
    workload: orNull(r.workload_status),
    capacity: numOrNull(r.capacity),
    unavailable: list(r.unavailable).map((range) => range.split('/') as [string, string]),
  }));
  const events = new Map<string, OEvent[]>();
  csvRows(path.join(dir, 'events.csv')).forEach((r, i) => addEvent(events, {
    contactId: r.contact_id!, atMs: canonicalMs(r.occurred_at!), order: i, kind: r.kind!,
    newValue: orNull(r.new_value), target: orNull(r.target_user_id),
  }));
  sortEvents(events);
  const locations = new Map<number, OLocation>();
  for (const r of csvRows(path.join(dir, 'locations.csv'))) {
    locations.set(Number(r.location_id), {
      id: Number(r.location_id), name: r.name!, level: numOrNull(r.level), parent: numOrNull(r.parent_id),
      lat: numOrNull(r.latitude), lon: numOrNull(r.longitude),
    });
  }
  return { contacts, users, events, locations };
}

// ---------------------------------------------------------------------------------------------
// Places

/** The place itself and each place above it. */
export function lineage(world: OWorld, location: number): number[] {
  const out = [location];
  let current = world.locations.get(location);
  while (current && current.parent !== null && current.parent !== current.id && world.locations.has(current.parent) && out.length < 12) {
    out.push(current.parent);
    current = world.locations.get(current.parent);
  }
  return out;
}

export function placeAtLevel(world: OWorld, location: number | undefined, level: number): number | null {
  if (location === undefined) return null;
  return lineage(world, location).find((id) => world.locations.get(id)?.level === level) ?? location;
}

/** A worker serves a region when one of their places is inside it or contains it. */
export function serves(world: OWorld, m: OMultiplier, region: number): boolean {
  return m.locations.some((s) => lineage(world, s).includes(region) || lineage(world, region).includes(s));
}

export interface Filters { region?: number; language?: string; gender?: string; source?: string; campaign?: string }

export function isSeeker(world: OWorld, c: OContact, f: Filters): boolean {
  if (c.type !== 'access') return false;
  if (f.region !== undefined && !c.locations.some((l) => lineage(world, l).includes(f.region!))) return false;
  if (f.language !== undefined && !c.languages.includes(f.language)) return false;
  if (f.gender !== undefined && c.gender !== f.gender) return false;
  if (f.source !== undefined && !c.sources.includes(f.source)) return false;
  if (f.campaign !== undefined && !c.campaigns.includes(f.campaign)) return false;
  return true;
}

export const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
/** The end of the as-of day: "now" for the current-state reports. */
export const asOfEnd = (asOf: string): number => dayMs(asOf) + DAY_MS;

// ---------------------------------------------------------------------------------------------
// Supply

export interface Supply {
  user: OMultiplier;
  nominal: number;
  capacity: number;
  load: number;
  waiting: number;
  free: number;
  unavailableNow: boolean;
  unavailableUntil: string | null;
}

export const multipliersOf = (world: OWorld): OMultiplier[] => world.users.filter((u) => u.roles.includes('multiplier'));

export function supplyOf(world: OWorld, asOf: string, defaultCapacity = 10): Map<string, Supply> {
  const out = new Map<string, Supply>();
  for (const user of multipliersOf(world)) {
    const mine = world.contacts.filter((c) => c.type === 'access' && c.assignedTo === user.id);
    const load = mine.filter((c) => c.status === 'active' || c.status === 'assigned').length;
    const nominal = user.capacity ?? defaultCapacity;
    const capacity = user.workload === 'too_many' ? 0 : nominal;
    const current = user.unavailable.filter(([start, end]) => start <= asOf && asOf <= end);
    out.set(user.id, {
      user, nominal, capacity, load,
      waiting: mine.filter((c) => c.status === 'assigned').length,
      free: Math.max(capacity - load, 0),
      unavailableNow: current.length > 0,
      unavailableUntil: current.length > 0 ? current.map(([, end]) => end).sort().at(-1)! : null,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Duplicates: the importer's normalisation, done again from the raw values

export const normalisePhone = (raw: string): string | null => {
  let digits = '';
  for (const ch of raw) if (ch >= '0' && ch <= '9') digits += ch;
  if (digits.startsWith('00')) digits = digits.slice(2);
  return digits.length >= 5 ? digits : null;
};
export const normaliseEmail = (raw: string): string | null => {
  const e = raw.trim().toLowerCase();
  return e.includes('@') ? e : null;
};
export const normaliseName = (raw: string | null): string | null => {
  if (raw === null) return null;
  const n = raw.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().split(/\s+/).filter(Boolean).join(' ');
  return n === '' ? null : n;
};

/** Lower id first, numeric ids compared as numbers (shorter is lower). */
export const idBefore = (a: string, b: string): boolean => a.length < b.length || (a.length === b.length && a < b);

export interface OPair { a: string; b: string; reasons: string[]; differentMultipliers: boolean }

const pairsCache = new WeakMap<OWorld, Map<string, OPair>>();

/** Every pair of outreach contacts with a shared normalised phone or e-mail, or the same name in a shared place. */
export function duplicatePairs(world: OWorld): Map<string, OPair> {
  const cached = pairsCache.get(world);
  if (cached) return cached;
  const multiplierIds = new Set(multipliersOf(world).map((m) => m.id));
  const keep = (v: string | null): v is string => v !== null;
  const seekers = world.contacts.filter((c) => c.type === 'access').map((c) => ({
    c, phones: c.phones.map(normalisePhone).filter(keep), emails: c.emails.map(normaliseEmail).filter(keep), name: normaliseName(c.name),
  }));
  const shares = <T>(x: T[], y: T[]) => x.some((v) => y.includes(v));
  const pairs = new Map<string, OPair>();
  for (let i = 0; i < seekers.length; i++) {
    const x = seekers[i]!;
    for (let j = i + 1; j < seekers.length; j++) {
      const y = seekers[j]!;
      const reasons: string[] = [];
      if (shares(x.phones, y.phones)) reasons.push('same phone');
      if (shares(x.emails, y.emails)) reasons.push('same e-mail');
      if (x.name !== null && x.name === y.name && shares(x.c.locations, y.c.locations)) reasons.push('same name in the same place');
      if (reasons.length === 0) continue;
      const [a, b] = idBefore(x.c.id, y.c.id) ? [x.c, y.c] : [y.c, x.c];
      pairs.set(`${a.id}|${b.id}`, {
        a: a.id, b: b.id, reasons,
        differentMultipliers: a.assignedTo !== null && b.assignedTo !== null && a.assignedTo !== b.assignedTo
          && multiplierIds.has(a.assignedTo) && multiplierIds.has(b.assignedTo),
      });
    }
  }
  pairsCache.set(world, pairs);
  return pairs;
}

// ---------------------------------------------------------------------------------------------
// Follow-through and distance

/** Per multiplier: assignments old enough to judge, and those with a first attempt within `withinDays`. */
export function followThrough(world: OWorld, asOf: string, withinDays = 3): Map<string, { judged: number; inTime: number }> {
  const multiplierIds = new Set(multipliersOf(world).map((m) => m.id));
  const out = new Map<string, { judged: number; inTime: number }>();
  const now = asOfEnd(asOf);
  const window = withinDays * DAY_MS;
  const attemptPaths = new Set(STAGES.slice(1));
  for (const events of world.events.values()) {
    const assignments = events.filter((e) => e.kind === 'assigned' && e.target !== null);
    assignments.forEach((a, k) => {
      if (!multiplierIds.has(a.target!)) return;
      if (a.atMs + window > now) return;
      const end = assignments[k + 1]?.atMs ?? Infinity;
      const firstAttempt = events.find((e) => e.atMs >= a.atMs && e.atMs < end
        && (['attempt', 'established', 'scheduled', 'met', 'no_show'].includes(e.kind)
          || (e.kind === 'seeker_path_changed' && e.newValue !== null && attemptPaths.has(e.newValue))));
      const record = out.get(a.target!) ?? { judged: 0, inTime: 0 };
      record.judged += 1;
      if (firstAttempt && firstAttempt.atMs <= a.atMs + window) record.inTime += 1;
      out.set(a.target!, record);
    });
  }
  return out;
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A report value rounded to `decimals` against the oracle's unrounded one. */
export function near(actual: unknown, expected: number | null, decimals: number): boolean {
  if (expected === null) return actual === null;
  return typeof actual === 'number' && Math.abs(actual - expected) <= 0.5 * 10 ** -decimals + 1e-9;
}
