// bottlenecks: the dispatch queue, contacts waiting for acceptance and contacts stuck at a stage,
// by region, checked against plain loops over the source files of the D.T samples and the demo set.
import { describe, expect, it } from 'vitest';
import { DAY_MS, addDays, dayEnd, isSeekerMatching, median, placeAtLevel, placeName, type Filters, type World } from '../oracle/world.ts';
import { DATASETS, report, useReportFixture } from './datasets.ts';
import { expectNear, pairRowsByKey } from './report-checks.ts';

interface BottleneckRow {
  region_id: string | null;
  region: string;
  queue_contacts: number;
  queue_oldest_days: number | null;
  queue_median_days: number | null;
  waiting_acceptance_contacts: number;
  waiting_oldest_days: number | null;
  waiting_median_days: number | null;
  active_contacts: number;
  stuck_contacts: number;
  stuck_at_none: number;
  stuck_at_attempted: number;
  stuck_later: number;
  stuck_oldest_days: number | null;
}

interface Thresholds { none: number; attempted: number; later: number }
const DT_THRESHOLDS: Thresholds = { none: 3, attempted: 7, later: 30 };

function expectedBottlenecks(world: World, o: { asOf: string; level: number; filters?: Filters; thresholds?: Thresholds }) {
  const now = dayEnd(o.asOf);
  const th = o.thresholds ?? DT_THRESHOLDS;
  const regions = new Map<string, { queue: number[]; waiting: number[]; active: number; stuck: { stage: string; days: number }[]; region: number | null }>();
  const days = (since: number) => (now - since) / DAY_MS;
  for (const c of world.contacts) {
    if (!isSeekerMatching(world, c, o.filters ?? {}) || c.createdMs >= now) continue;
    if (!['new', 'unassigned', 'assigned', 'active'].includes(c.status ?? '')) continue;
    const events = (world.eventsByContact.get(c.id) ?? []).filter((e) => e.atMs < now);
    const last = (pick: (e: (typeof events)[number]) => boolean) => {
      const times = events.filter(pick).map((e) => e.atMs);
      return times.length > 0 ? Math.max(...times) : null;
    };
    const region = placeAtLevel(world, c.locationIds[0], o.level);
    const cell = regions.get(String(region)) ?? { queue: [], waiting: [], active: 0, stuck: [], region };
    regions.set(String(region), cell);
    if (c.status === 'new' || c.status === 'unassigned') {
      const queued = last((e) => e.kind === 'status_changed' && (e.newValue === 'new' || e.newValue === 'unassigned'));
      cell.queue.push(days(Math.max(c.createdMs, queued ?? c.createdMs)));
    } else if (c.status === 'assigned') {
      cell.waiting.push(days(Math.max(c.createdMs, last((e) => e.kind === 'assigned') ?? c.createdMs)));
    } else {
      cell.active += 1;
      const since = last((e) => e.kind === 'seeker_path_changed') ?? last((e) => e.kind === 'assigned') ?? c.createdMs;
      const inStage = days(Math.max(c.createdMs, since));
      const stage = c.seekerPath ?? 'none';
      const limit = stage === 'none' ? th.none : stage === 'attempted' ? th.attempted : th.later;
      if (inStage > limit) cell.stuck.push({ stage, days: inStage });
    }
  }
  return [...regions.values()].map((r) => ({
    region_id: r.region === null ? null : String(r.region),
    region: r.region === null ? 'unknown' : placeName(world, r.region),
    queue_contacts: r.queue.length,
    queue_oldest_days: r.queue.length > 0 ? Math.max(...r.queue) : null,
    queue_median_days: median(r.queue),
    waiting_acceptance_contacts: r.waiting.length,
    waiting_oldest_days: r.waiting.length > 0 ? Math.max(...r.waiting) : null,
    waiting_median_days: median(r.waiting),
    active_contacts: r.active,
    stuck_contacts: r.stuck.length,
    stuck_at_none: r.stuck.filter((s) => s.stage === 'none').length,
    stuck_at_attempted: r.stuck.filter((s) => s.stage === 'attempted').length,
    stuck_later: r.stuck.filter((s) => s.stage !== 'none' && s.stage !== 'attempted').length,
    stuck_oldest_days: r.stuck.length > 0 ? Math.max(...r.stuck.map((s) => s.days)) : null,
  }));
}

const DAY_COLUMNS = ['queue_oldest_days', 'queue_median_days', 'waiting_oldest_days', 'waiting_median_days', 'stuck_oldest_days'] as const;

function checkAgainstOracle(actual: BottleneckRow[], expected: ReturnType<typeof expectedBottlenecks>) {
  const regionKey = (r: { region_id: string | null }) => String(r.region_id);
  for (const { row, want: e } of pairRowsByKey(actual, regionKey, expected, regionKey)) {
    const { region_id, region, queue_contacts, waiting_acceptance_contacts, active_contacts, stuck_contacts, stuck_at_none, stuck_at_attempted, stuck_later } = row;
    expect({ region_id, region, queue_contacts, waiting_acceptance_contacts, active_contacts, stuck_contacts, stuck_at_none, stuck_at_attempted, stuck_later }, e.region)
      .toEqual({
        region_id: e.region_id, region: e.region, queue_contacts: e.queue_contacts, waiting_acceptance_contacts: e.waiting_acceptance_contacts,
        active_contacts: e.active_contacts, stuck_contacts: e.stuck_contacts, stuck_at_none: e.stuck_at_none,
        stuck_at_attempted: e.stuck_at_attempted, stuck_later: e.stuck_later,
      });
    for (const col of DAY_COLUMNS) expectNear(row[col], e[col], 1, `${e.region} ${col}`);
  }
  const held = actual.map((r) => r.queue_contacts + r.waiting_acceptance_contacts + r.stuck_contacts);
  expect(held).toEqual([...held].sort((a, b) => b - a));
}

describe.each(DATASETS)('bottlenecks on $label', (dataset) => {
  const fixture = useReportFixture(dataset);

  it('measures the queue, the waits for acceptance and the stuck contacts per country, with D.T\'s thresholds', async () => {
    const { db, world, defaultAsOf: asOf } = fixture;
    const { rows, params } = await report<BottleneckRow>(db, 'bottlenecks');
    expect([params.stuck_none_days, params.stuck_attempted_days, params.stuck_later_days]).toEqual([3, 7, 30]);
    checkAgainstOracle(rows, expectedBottlenecks(world, { asOf, level: 0 }));
    const total = (col: 'queue_contacts' | 'waiting_acceptance_contacts') => rows.reduce((s, r) => s + r[col], 0);
    const seekers = world.contacts.filter((c) => c.type === 'access');
    expect(total('queue_contacts')).toBe(seekers.filter((c) => c.status === 'new' || c.status === 'unassigned').length);
    expect(total('waiting_acceptance_contacts')).toBe(seekers.filter((c) => c.status === 'assigned').length);
    expect(rows.reduce((s, r) => s + r.stuck_contacts, 0)).toBeGreaterThan(0);
  });

  it('takes other thresholds, levels, filters and an earlier as-of date', async () => {
    const { db, world, defaultAsOf: asOf } = fixture;
    const thresholds = { none: 1, attempted: 14, later: 60 };
    const { rows } = await report<BottleneckRow>(db, 'bottlenecks', {
      level: '3', stuck_none_days: '1', stuck_attempted_days: '14', stuck_later_days: '60',
    });
    checkAgainstOracle(rows, expectedBottlenecks(world, { asOf, level: 3, thresholds }));
    const filtered = await report<BottleneckRow>(db, 'bottlenecks', { gender: 'male', language: 'en', level: '1' });
    checkAgainstOracle(filtered.rows, expectedBottlenecks(world, { asOf, level: 1, filters: { gender: 'male', language: 'en' } }));
    const earlier = addDays(asOf, -20);
    const past = await report<BottleneckRow>(db, 'bottlenecks', { as_of: earlier });
    checkAgainstOracle(past.rows, expectedBottlenecks(world, { asOf: earlier, level: 0 }));
  });
});
