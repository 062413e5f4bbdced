// match: multipliers ranked by fit for one contact. Every fit field is recomputed from the source
// files with plain loops (languages, gender, haversine distance between centroids, free capacity,
// availability, follow-through from the activity history), the score from the documented weights,
// and the ranking invariants are checked, on the D.T samples and the demo set.
import { beforeAll, describe, expect, it } from 'vitest';
import { ParamError } from '../../server/core/reports/params.ts';
import { followThrough, haversineKm, serves, supplyOf } from '../oracle/dispatch.ts';
import { addDays, multipliersOf, type OracleContact, type World } from '../oracle/world.ts';
import { DATASETS, DEMO, report, useReportFixture } from './datasets.ts';
import { expectNear, pairRowsByKey } from './report-checks.ts';

interface MatchRow {
  rank: number;
  user_id: string;
  multiplier: string;
  score: number;
  language_match: boolean | null;
  shared_languages: string;
  gender: string | null;
  gender_match: boolean | null;
  distance_km: number | null;
  serves_area: boolean;
  free_capacity: number;
  capacity: number;
  nominal_capacity: number;
  active_load: number;
  available: boolean;
  unavailable_now: boolean;
  workload_status: string | null;
  follow_through_pct: number | null;
  judged_assignments: number;
  assigned_now: boolean;
  reasons: string;
}

/** The weights documented in queries/match.sql. */
function expectedScore(f: {
  language: boolean | null; gender: boolean | null; servesArea: boolean; distance: number | null;
  free: number; nominal: number; available: boolean; followThrough: number | null;
}): number {
  const proximity = f.servesArea ? 1 : f.distance === null ? 0 : 50 / (50 + f.distance);
  return 25 * (f.language ? 1 : 0) + 25 * proximity + 20 * (f.gender ? 1 : 0)
    + 10 * (f.nominal > 0 ? f.free / f.nominal : 0) + 10 * (f.available ? 1 : 0) + 10 * (f.followThrough ?? 0.5);
}

const oracleCache = new Map<string, { supply: ReturnType<typeof supplyOf>; record: ReturnType<typeof followThrough> }>();
function oracleAt(world: World, asOf: string) {
  const key = `${world.contacts.length}|${asOf}`;
  let cached = oracleCache.get(key);
  if (!cached) {
    cached = { supply: supplyOf(world, asOf), record: followThrough(world, asOf, 3) };
    oracleCache.set(key, cached);
  }
  return cached;
}

function checkMatch(world: World, contact: OracleContact, rows: MatchRow[], asOf: string) {
  const { supply, record } = oracleAt(world, asOf);
  const place = contact.locationIds[0] === undefined ? undefined : world.locations.get(contact.locationIds[0]);
  const everyMultiplier = multipliersOf(world).map((m) => supply.get(m.id)!);
  for (const { row, want: s } of pairRowsByKey(rows, (r) => r.user_id, everyMultiplier, (s) => s.user.id)) {
    const m = s.user;
    const what = `contact ${contact.id} / ${m.name}`;
    const shared = m.languages.filter((l) => contact.languages.includes(l));
    const language = contact.languages.length === 0 ? null : shared.length > 0;
    const gender = contact.gender === null || m.gender === null ? null : contact.gender === m.gender;
    const distances = m.locationIds.map((l) => world.locations.get(l))
      .filter((l) => l && l.lat !== null && l.lon !== null && place?.lat != null && place?.lon != null)
      .map((l) => haversineKm(place!.lat!, place!.lon!, l!.lat!, l!.lon!));
    const distance = distances.length > 0 ? Math.min(...distances) : null;
    const servesArea = contact.locationIds[0] !== undefined && serves(world, m, contact.locationIds[0]);
    const available = !s.unavailableNow && m.workload !== 'too_many';
    const r = record.get(m.id);
    const followThroughShare = r && r.judged > 0 ? r.inTime / r.judged : null;

    expect(row.language_match, what).toBe(language);
    expect(row.shared_languages.split(', ').filter(Boolean).sort(), what).toEqual([...shared].sort());
    expect(row.gender_match, what).toBe(gender);
    expectNear(row.distance_km, distance, 1, `${what}: distance`);
    expect(row.serves_area, what).toBe(servesArea);
    expect([row.free_capacity, row.capacity, row.nominal_capacity, row.active_load], what).toEqual([s.free, s.capacity, s.nominal, s.load]);
    expect(row.available, what).toBe(available);
    expect(row.unavailable_now, what).toBe(s.unavailableNow);
    expect(row.judged_assignments, what).toBe(r?.judged ?? 0);
    expectNear(row.follow_through_pct, followThroughShare === null ? null : followThroughShare * 100, 1, `${what}: follow-through`);
    expect(row.assigned_now, what).toBe(contact.assignedTo === m.id);
    const score = expectedScore({ language, gender, servesArea, distance, free: s.free, nominal: s.nominal, available, followThrough: followThroughShare });
    expectNear(row.score, score, 1, `${what}: score`);

    // The reasons say the same thing in words.
    if (language) expect(row.reasons.startsWith('speaks '), what).toBe(true);
    if (language === false) expect(row.reasons).toContain('does not speak');
    if (gender) expect(row.reasons).toContain(`${m.gender} like the contact`);
    if (m.workload === 'too_many') expect(row.reasons).toContain('no capacity');
    else expect(row.reasons).toContain(`${s.free} free of ${s.capacity}`);
    if (distance !== null) expect(row.reasons).toContain(`${Math.round(distance)} km`);
    if (r && r.judged > 0) expect(row.reasons).toContain(`attempted within 3 days (${r.inTime} of ${r.judged})`);
    if (s.unavailableNow) expect(row.reasons).toContain(`unavailable until ${s.unavailableUntil}`);
  }
  // Ranking: 1..n, best score first; ties to more free capacity, then the shorter distance.
  expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
  for (let i = 1; i < rows.length; i++) {
    const [p, r] = [rows[i - 1]!, rows[i]!];
    expect(p.score >= r.score, `rank ${i} score`).toBe(true);
  }
  // A fitting, available worker never ranks below one who fits on nothing and cannot take contacts.
  const best = rows.findIndex((r) => r.language_match && r.gender_match && r.serves_area && r.available && r.free_capacity > 0);
  const worst = rows.findIndex((r) => r.language_match === false && r.gender_match === false && !r.serves_area && !r.available);
  if (best >= 0 && worst >= 0) expect(best).toBeLessThan(worst);
}

describe.each(DATASETS)('match on $label', (dataset) => {
  const fixture = useReportFixture(dataset);
  let waiting: OracleContact[];
  beforeAll(() => {
    waiting = fixture.world.contacts.filter((c) => c.type === 'access' && ['new', 'unassigned', 'assigned'].includes(c.status ?? ''));
  });

  it('ranks every multiplier for waiting contacts, with fit fields, score and reasons matching the sources', async () => {
    // The waiting contacts (up to 25, spread over the list), and ones without language or gender.
    const { db, world, defaultAsOf: asOf } = fixture;
    const step = Math.max(1, Math.floor(waiting.length / 25));
    const picked = waiting.filter((_, i) => i % step === 0).slice(0, 25);
    const odd = world.contacts.filter((c) => c.type === 'access' && (c.languages.length === 0 || c.gender === null || c.locationIds.length === 0)).slice(0, 3);
    for (const contact of [...picked, ...odd]) {
      const { rows } = await report<MatchRow>(db, 'match', { contact_id: contact.id });
      checkMatch(world, contact, rows, asOf);
    }
  });

  it('judges availability and follow-through at an earlier as-of date', async () => {
    const earlier = addDays(fixture.defaultAsOf, -45);
    const contact = waiting[waiting.length - 1]!;
    const { rows } = await report<MatchRow>(fixture.db, 'match', { contact_id: contact.id, as_of: earlier });
    checkMatch(fixture.world, contact, rows, earlier);
  });

  it('refuses an unknown contact id, a contact that is not an outreach contact, and a missing id', async () => {
    const attempt = async (params: Record<string, string>) => {
      try {
        await report(fixture.db, 'match', params);
      } catch (e) {
        return e;
      }
      return null;
    };
    for (const params of [{ contact_id: 'no-such-contact' }, {}] as Record<string, string>[]) {
      const error = await attempt(params);
      expect(error).toBeInstanceOf(ParamError);
      expect((error as ParamError).param).toBe('contact_id');
    }
    const notSeeker = fixture.world.contacts.find((c) => c.type !== 'access');
    if (notSeeker) {
      const error = await attempt({ contact_id: notSeeker.id });
      expect(error).toBeInstanceOf(ParamError);
      expect((error as ParamError).message).toContain(notSeeker.id);
    }
  });
});

describe('match on the demo set: the planted underload', () => {
  const fixture = useReportFixture(DEMO);

  // PLANTED.md (b): Chittagong men speaking Bengali wait unassigned while Kamal Hossain (24), who
  // serves Chittagong, speaks Bengali and holds nothing, sits idle. He is the one to suggest.
  it('suggests Kamal Hossain first for each planted waiting contact that fits him', async () => {
    for (const id of ['2737', '2777', '2814', '2851', '2897', '2944', '2984', '3022']) {
      const { rows } = await report<MatchRow>(fixture.db, 'match', { contact_id: id });
      expect(rows[0]!.user_id, id).toBe('24');
      expect([rows[0]!.language_match, rows[0]!.gender_match, rows[0]!.serves_area, rows[0]!.available], id).toEqual([true, true, true, true]);
      expect(rows[0]!.free_capacity, id).toBe(rows[0]!.capacity);
      expect(rows[0]!.reasons, id).toMatch(/^speaks bn; male like the contact; serves the contact's area/);
    }
  });

  // PLANTED.md (c): for an Arabic-speaking woman in Marseille nobody fits on every count; the
  // reasons must say what each suggestion lacks.
  it('says what the best suggestions lack for a seeker in the uncovered city', async () => {
    const { rows } = await report<MatchRow>(fixture.db, 'match', { contact_id: '3024' });
    const complete = rows.filter((r) => r.language_match && r.gender_match && r.serves_area);
    expect(complete).toHaveLength(0);
    for (const r of rows.slice(0, 3)) {
      expect(r.reasons.includes('does not speak'), r.multiplier).toBe(r.language_match === false);
      expect(r.reasons.includes('the contact is female'), r.multiplier).toBe(r.gender_match === false);
      expect(r.reasons.includes("serves the contact's area"), r.multiplier).toBe(r.serves_area);
    }
    // The one who can reach her and speaks her language ranks above the far-away women.
    expect(rows[0]!.serves_area && rows[0]!.language_match).toBe(true);
  });
});
