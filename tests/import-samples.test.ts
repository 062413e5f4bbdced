// The real D.T sample exports go through the real importer into a real DuckDB file, and give
// exactly the counts the samples' README states (an independent, published answer).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DT_SAMPLES, createTestDb, rows, sampleListPosts, type TestDb } from './helpers.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await t.importAll([DT_SAMPLES]);
});
afterAll(() => t.close());

const countBy = async (column: string) =>
  Object.fromEntries((await rows<{ k: string; n: number }>(t.db,
    `SELECT ${column}::VARCHAR AS k, count(*)::INTEGER AS n FROM contacts WHERE contact_type = 'access' GROUP BY 1`)).map((r) => [r.k, r.n]));

describe('importing ../shared/dt-samples (copied to fixtures/dt-samples)', () => {
  it('has the 290 access contacts with the README status counts', async () => {
    expect(await countBy('overall_status')).toEqual({ active: 188, closed: 50, assigned: 23, paused: 12, unassignable: 8, unassigned: 6, new: 3 });
  });

  it('has the README seeker-path counts', async () => {
    expect(await countBy('seeker_path')).toEqual({ none: 61, attempted: 59, established: 61, scheduled: 29, met: 40, ongoing: 32, coaching: 8 });
  });

  it('has 26 contacts requiring an update, and user contacts are not seekers', async () => {
    const [r] = await rows<{ n: number; users: number }>(t.db, `SELECT
      count(*) FILTER (WHERE contact_type = 'access' AND requires_update)::INTEGER AS n,
      count(*) FILTER (WHERE contact_type = 'user')::INTEGER AS users FROM contacts`);
    expect(r!.n).toBe(26);
    expect(r!.users).toBe(12);
  });

  it('has the 8 multipliers with their workload statuses', async () => {
    const ms = await rows<{ display_name: string; workload_status: string }>(t.db,
      `SELECT display_name, workload_status FROM multipliers WHERE list_contains(roles, 'multiplier') ORDER BY user_id::INTEGER`);
    expect(ms.map((m) => m.display_name)).toEqual(['Aisha Rahman', 'Ben Carter', 'Chen Wei', 'Fatima Khan', 'Gabriel Silva', 'Hannah Müller', 'Ibrahim Diallo', 'Julia Martin']);
    const byName = Object.fromEntries(ms.map((m) => [m.display_name, m.workload_status]));
    expect(byName['Chen Wei']).toBe('existing');
    expect(byName['Ibrahim Diallo']).toBe('existing');
    expect(byName['Gabriel Silva']).toBe('too_many');
    expect(ms.filter((m) => m.workload_status === 'active')).toHaveLength(5);
  });

  it('assigns contacts to the same user ids D.T shows', async () => {
    const posts = sampleListPosts().filter((p) => p.type?.key === 'access');
    const stored = Object.fromEntries((await rows<{ contact_id: string; assigned_to: string | null }>(t.db,
      `SELECT contact_id, assigned_to FROM contacts`)).map((r) => [r.contact_id, r.assigned_to]));
    for (const p of posts) expect(stored[String(p.ID)] ?? null).toBe(p.assigned_to?.id ?? null);
  });

  it('turns the activity logs into typed events, with nothing silently dropped', async () => {
    const activityDir = path.join(DT_SAMPLES, 'rest', 'activity');
    let entries = 0;
    for (const f of fs.readdirSync(activityDir)) {
      const body = JSON.parse(fs.readFileSync(path.join(activityDir, f), 'utf8'));
      entries += Array.isArray(body.activity) ? body.activity.length : 0;
    }
    const [r] = await rows<{ n: number }>(t.db, `SELECT count(*)::INTEGER AS n FROM events WHERE event_id LIKE 'dt:%' AND kind <> 'comment'`);
    expect(r!.n).toBe(entries);
    const kinds = Object.fromEntries((await rows<{ kind: string; n: number }>(t.db,
      `SELECT kind::VARCHAR AS kind, count(*)::INTEGER AS n FROM events GROUP BY 1`)).map((x) => [x.kind, x.n]));
    // From the samples' own counters: 212 accepts, 30 declines, 585 assignments.
    expect(kinds.accepted).toBe(212);
    expect(kinds.declined).toBe(30);
    expect(kinds.assigned).toBe(585);
  });

  it('records the private contacts\' 403 bodies as skipped with a reason', async () => {
    const skipped = await rows<{ file: string; reason: string }>(t.db,
      `SELECT file, reason FROM import_issues WHERE kind = 'skipped' AND regexp_matches(file, 'contact_[0-9]+_activity')`);
    const ids = skipped.map((s) => Number(/contact_(\d+)_activity/.exec(s.file)![1])).sort((a, b) => a - b);
    expect(ids).toEqual([41, 72, 82, 88, 98, 141, 189, 199, 210, 310]);
    for (const s of skipped) expect(s.reason).toMatch(/permission|403/i);
  });

  it('is idempotent: importing the same files again updates, never duplicates', async () => {
    const before = await rows<{ c: number; e: number; m: number }>(t.db,
      `SELECT (SELECT count(*) FROM contacts)::INTEGER c, (SELECT count(*) FROM events)::INTEGER e, (SELECT count(*) FROM multipliers)::INTEGER m`);
    const summary = await t.importAll([DT_SAMPLES]);
    expect(summary.counts!.contacts.added).toBe(0);
    expect(summary.counts!.events.added).toBe(0);
    const after = await rows(t.db,
      `SELECT (SELECT count(*) FROM contacts)::INTEGER c, (SELECT count(*) FROM events)::INTEGER e, (SELECT count(*) FROM multipliers)::INTEGER m`);
    expect(after).toEqual(before);
    expect(summary.version).toBe(2);
  });
});
