// The dispatch reports' oracle (capacity, worker_gap, bottlenecks, duplicates, match): supply,
// duplicate pairs and follow-through over the source rows of world.ts, in plain loops. Raw phones
// and e-mails are read (the fixtures are synthetic) so duplicates are found from the values
// themselves, not the importer's hashes.
import {
  DAY_MS, SEEKER_PATH_STAGES, dayEnd, lineage, multipliersOf, type OracleUser, type World,
} from './world.ts';

/** A worker serves a region when one of their places is inside it or contains it. */
export function serves(world: World, m: OracleUser, region: number): boolean {
  return m.locationIds.some((s) => lineage(world, s).includes(region) || lineage(world, region).includes(s));
}

// ---------------------------------------------------------------------------------------------
// Supply

export interface Supply {
  user: OracleUser;
  nominal: number;
  capacity: number;
  load: number;
  waiting: number;
  free: number;
  unavailableNow: boolean;
  unavailableUntil: string | null;
}

export function supplyOf(world: World, asOf: string, defaultCapacity = 10): Map<string, Supply> {
  const out = new Map<string, Supply>();
  for (const user of multipliersOf(world)) {
    const mine = world.contacts.filter((c) => c.type === 'access' && c.assignedTo === user.id);
    const load = mine.filter((c) => c.status === 'active' || c.status === 'assigned').length;
    const nominal = user.capacity ?? defaultCapacity;
    const capacity = user.workload === 'too_many' ? 0 : nominal;
    const current = user.unavailable.filter(({ start, end }) => start <= asOf && asOf <= end);
    out.set(user.id, {
      user, nominal, capacity, load,
      waiting: mine.filter((c) => c.status === 'assigned').length,
      free: Math.max(capacity - load, 0),
      unavailableNow: current.length > 0,
      unavailableUntil: current.length > 0 ? current.map(({ end }) => end).sort().at(-1)! : null,
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

export interface DuplicatePair { a: string; b: string; reasons: string[]; differentMultipliers: boolean }

// Pairing is quadratic in the contacts; several tests ask for the pairs of one world.
const pairsCache = new WeakMap<World, Map<string, DuplicatePair>>();

/** Every pair of outreach contacts with a shared normalised phone or e-mail, or the same name in a shared place. */
export function duplicatePairs(world: World): Map<string, DuplicatePair> {
  const cached = pairsCache.get(world);
  if (cached) return cached;
  const multiplierIds = new Set(multipliersOf(world).map((m) => m.id));
  const keep = (v: string | null): v is string => v !== null;
  const seekers = world.contacts.filter((c) => c.type === 'access').map((c) => ({
    c, phones: c.phones.map(normalisePhone).filter(keep), emails: c.emails.map(normaliseEmail).filter(keep), name: normaliseName(c.name),
  }));
  const shares = <T>(x: T[], y: T[]) => x.some((v) => y.includes(v));
  const pairs = new Map<string, DuplicatePair>();
  for (let i = 0; i < seekers.length; i++) {
    const x = seekers[i]!;
    for (let j = i + 1; j < seekers.length; j++) {
      const y = seekers[j]!;
      const reasons: string[] = [];
      if (shares(x.phones, y.phones)) reasons.push('same phone');
      if (shares(x.emails, y.emails)) reasons.push('same e-mail');
      if (x.name !== null && x.name === y.name && shares(x.c.locationIds, y.c.locationIds)) reasons.push('same name in the same place');
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
export function followThrough(world: World, asOf: string, withinDays = 3): Map<string, { judged: number; inTime: number }> {
  const multiplierIds = new Set(multipliersOf(world).map((m) => m.id));
  const out = new Map<string, { judged: number; inTime: number }>();
  const now = dayEnd(asOf);
  const window = withinDays * DAY_MS;
  const attemptPaths = new Set<string>(SEEKER_PATH_STAGES.slice(1));
  for (const events of world.eventsByContact.values()) {
    const assignments = events.filter((e) => e.kind === 'assigned' && e.targetUserId !== null);
    assignments.forEach((a, k) => {
      if (!multiplierIds.has(a.targetUserId!)) return;
      if (a.atMs + window > now) return;
      const end = assignments[k + 1]?.atMs ?? Infinity;
      const firstAttempt = events.find((e) => e.atMs >= a.atMs && e.atMs < end
        && (['attempt', 'established', 'scheduled', 'met', 'no_show'].includes(e.kind)
          || (e.kind === 'seeker_path_changed' && e.newValue !== null && attemptPaths.has(e.newValue))));
      const record = out.get(a.targetUserId!) ?? { judged: 0, inTime: 0 };
      record.judged += 1;
      if (firstAttempt && firstAttempt.atMs <= a.atMs + window) record.inTime += 1;
      out.set(a.targetUserId!, record);
    });
  }
  return out;
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = (d: number) => (d * Math.PI) / 180;
  const h = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
