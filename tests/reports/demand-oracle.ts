// The independent side of the demand reports' tests: the fixtures' SOURCE files read with
// JSON.parse / csv-parse and the measures recomputed with plain loops, never through DuckDB or SQL.
// Shared by demand, campaign_response, seasonality, funnel, contacts_by_status and compare tests.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { DT_SAMPLES, readJson, sampleListPosts } from '../helpers.ts';

export interface WorldContact {
  id: string;
  createdMs: number;
  type: string;
  status: string | null;
  path: string | null;
  gender: string | null;
  languages: string[];
  sources: string[];
  campaigns: string[];
  locations: number[];
  metCount: number;
}
export interface WorldEvent { contactId: string; atMs: number; kind: string; newValue: string | null }
export interface WorldLocation { id: number; name: string; level: number | null; parent: number | null }
export interface World {
  contacts: WorldContact[];
  /** Every event of each contact, by contact id. */
  events: Map<string, WorldEvent[]>;
  locations: Map<number, WorldLocation>;
}

export const STAGES = ['none', 'attempted', 'established', 'scheduled', 'met', 'ongoing', 'coaching'] as const;
export const STATUSES = ['new', 'unassignable', 'unassigned', 'assigned', 'active', 'paused', 'closed'] as const;
export const stageRank = (stage: string | null): number => STAGES.indexOf((stage ?? 'none') as (typeof STAGES)[number]);

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Loading the sources

const QUICK_BUTTONS: Record<string, string> = {
  quick_button_no_answer: 'attempt',
  quick_button_contact_established: 'established',
  quick_button_meeting_scheduled: 'scheduled',
  quick_button_meeting_complete: 'met',
  quick_button_no_show: 'no_show',
};

/** The D.T samples: REST list posts, activity files (seeker-path labels mapped with the settings), comments, the grid TSV. */
export function loadSamplesWorld(): World {
  const contacts: WorldContact[] = sampleListPosts().filter((p) => p.type?.key === 'access').map((p) => ({
    id: String(p.ID),
    createdMs: Number(p.post_date.timestamp) * 1000,
    type: 'access',
    status: p.overall_status?.key ?? null,
    path: p.seeker_path?.key ?? null,
    gender: p.gender?.key ?? null,
    languages: p.languages ?? [],
    sources: p.sources ?? [],
    campaigns: p.campaigns ?? [],
    locations: (p.location_grid ?? []).map((l: { id: number }) => Number(l.id)),
    metCount: Number(p.quick_button_meeting_complete ?? 0),
  }));

  const settings = readJson(path.join(DT_SAMPLES, 'rest', 'contacts_settings.json')) as any;
  const pathKeyByLabel = new Map<string, string>(
    Object.entries(settings.fields.seeker_path.default as Record<string, { label: string }>).map(([key, o]) => [o.label, key]),
  );
  const events = new Map<string, WorldEvent[]>();
  const add = (e: WorldEvent) => {
    const list = events.get(e.contactId) ?? [];
    list.push(e);
    events.set(e.contactId, list);
  };
  const activityDir = path.join(DT_SAMPLES, 'rest', 'activity');
  for (const file of fs.readdirSync(activityDir)) {
    const contactId = /contact_(\d+)_activity/.exec(file)![1]!;
    const body = readJson(path.join(activityDir, file)) as { activity?: Record<string, string>[] };
    for (const a of body.activity ?? []) {
      const atMs = Number(a.hist_time) * 1000;
      if (a.meta_key === 'seeker_path') {
        const label = a.object_note!.replace(/^[^:]*: /, '');
        add({ contactId, atMs, kind: 'seeker_path_changed', newValue: pathKeyByLabel.get(label) ?? null });
      } else {
        add({ contactId, atMs, kind: QUICK_BUTTONS[a.meta_key!] ?? 'other', newValue: null });
      }
    }
  }
  const singleDir = path.join(DT_SAMPLES, 'rest', 'single');
  for (const file of fs.readdirSync(singleDir).filter((f) => f.endsWith('_comments.json'))) {
    for (const c of (readJson(path.join(singleDir, file)) as { comments: Record<string, string>[] }).comments) {
      add({ contactId: c.comment_post_ID!, atMs: Date.parse(c.comment_date_gmt!.replace(' ', 'T') + 'Z'), kind: 'comment', newValue: null });
    }
  }

  const locations = new Map<number, WorldLocation>();
  const [header, ...lines] = fs.readFileSync(path.join(DT_SAMPLES, 'location_grid.tsv'), 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  for (const line of lines) {
    const cells = line.split('\t');
    const cell = (name: string) => cells[cols.indexOf(name)]!;
    const parent = cell('parent_id');
    locations.set(Number(cell('grid_id')), {
      id: Number(cell('grid_id')), name: cell('name'), level: Number(cell('level')),
      parent: parent === 'NULL' || parent === '' ? null : Number(parent),
    });
  }
  return { contacts, events, locations };
}

/** Canonical times: ISO 8601, UTC when no zone is given (docs/import-format.md). */
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

/** A canonical CSV set: contacts.csv, events.csv, locations.csv in one folder. */
export function loadCanonicalWorld(dir: string): World {
  const contacts: WorldContact[] = csvRows(path.join(dir, 'contacts.csv')).map((r) => ({
    id: r.contact_id!,
    createdMs: canonicalTimeMs(r.created_at!),
    type: r.contact_type!,
    status: orNull(r.overall_status),
    path: orNull(r.seeker_path),
    gender: orNull(r.gender),
    languages: list(r.languages),
    sources: list(r.sources),
    campaigns: list(r.campaigns),
    locations: list(r.location_ids).map(Number),
    metCount: Number(orNull(r.met_count) ?? 0),
  }));
  const events = new Map<string, WorldEvent[]>();
  for (const r of csvRows(path.join(dir, 'events.csv'))) {
    const e: WorldEvent = { contactId: r.contact_id!, atMs: canonicalTimeMs(r.occurred_at!), kind: r.kind!, newValue: orNull(r.new_value) };
    const l = events.get(e.contactId) ?? [];
    l.push(e);
    events.set(e.contactId, l);
  }
  const locations = new Map<number, WorldLocation>();
  for (const r of csvRows(path.join(dir, 'locations.csv'))) {
    locations.set(Number(r.location_id), {
      id: Number(r.location_id), name: r.name!, level: orNull(r.level) === null ? null : Number(r.level),
      parent: orNull(r.parent_id) === null ? null : Number(r.parent_id),
    });
  }
  return { contacts, events, locations };
}

// ---------------------------------------------------------------------------------------------
// Windows, filters, places, periods

export interface Filters { region?: number; language?: string; gender?: string; source?: string; campaign?: string }

export const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The place itself and each place above it. */
export function lineage(world: World, location: number): number[] {
  const out = [location];
  let current = world.locations.get(location);
  while (current && current.parent !== null && current.parent !== current.id && world.locations.has(current.parent) && out.length < 12) {
    out.push(current.parent);
    current = world.locations.get(current.parent);
  }
  return out;
}

/** The ancestor at the level asked for, or the place itself when it has none there. */
export function placeAtLevel(world: World, location: number | undefined, level: number): number | null {
  if (location === undefined) return null;
  return lineage(world, location).find((id) => world.locations.get(id)?.level === level) ?? location;
}

export function matches(world: World, c: WorldContact, f: Filters): boolean {
  if (c.type !== 'access') return false;
  if (f.region !== undefined && !c.locations.some((l) => lineage(world, l).includes(f.region!))) return false;
  if (f.language !== undefined && !c.languages.includes(f.language)) return false;
  if (f.gender !== undefined && c.gender !== f.gender) return false;
  if (f.source !== undefined && !c.sources.includes(f.source)) return false;
  if (f.campaign !== undefined && !c.campaigns.includes(f.campaign)) return false;
  return true;
}

export type Cohort = 'current' | 'previous';

/**
 * The contacts of the window [from, to] (inclusive days), and with compare those of the window of
 * equal length before it, each with the time it is bucketed at (previous ones moved forward by
 * the window's length).
 */
export function windowContacts(world: World, from: string, to: string, filters: Filters, compare: boolean):
  { contact: WorldContact; cohort: Cohort; alignedMs: number }[] {
  const start = dayMs(from);
  const end = dayMs(to) + DAY_MS;
  const length = end - start;
  const out: { contact: WorldContact; cohort: Cohort; alignedMs: number }[] = [];
  for (const c of world.contacts) {
    if (!matches(world, c, filters)) continue;
    if (c.createdMs >= start && c.createdMs < end) out.push({ contact: c, cohort: 'current', alignedMs: c.createdMs });
    else if (compare && c.createdMs >= start - length && c.createdMs < start) out.push({ contact: c, cohort: 'previous', alignedMs: c.createdMs + length });
  }
  return out;
}

/** Start of the week (Monday), month, quarter or year a time falls in, as YYYY-MM-DD. */
export function periodStart(grain: string, ms: number): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (grain) {
    case 'week': {
      const midnight = Date.UTC(y, m, d.getUTCDate());
      return isoDay(midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS);
    }
    case 'month': return isoDay(Date.UTC(y, m, 1));
    case 'quarter': return isoDay(Date.UTC(y, m - (m % 3), 1));
    default: return isoDay(Date.UTC(y, 0, 1));
  }
}

/** ISO 8601 week: the year and number of the week's Thursday. */
export function isoWeek(ms: number): { year: number; week: number } {
  const d = new Date(ms);
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const ordinal = Math.round((thursday - Date.UTC(year, 0, 1)) / DAY_MS);
  return { year, week: Math.floor(ordinal / 7) + 1 };
}

/** The values a contact counts under for a breakdown; one null when it has none. */
export function breakdownValues(values: string[]): (string | null)[] {
  const distinct = [...new Set(values)];
  return distinct.length > 0 ? distinct : [null];
}

/** A report percentage (rounded to `decimals`) against the oracle's unrounded value. */
export function expectNear(actual: unknown, expected: number | null, decimals: number, what: string): void {
  if (expected === null) {
    if (actual !== null) throw new Error(`${what}: expected null, got ${String(actual)}`);
    return;
  }
  if (typeof actual !== 'number' || Math.abs(actual - expected) > 0.5 * 10 ** -decimals + 1e-9) {
    throw new Error(`${what}: expected ${expected} (to ${decimals} decimals), got ${String(actual)}`);
  }
}

export const pct = (part: number, whole: number): number | null => (whole > 0 ? (part * 100) / whole : null);
