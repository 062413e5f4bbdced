// Marketers and leaders get aggregates only: whatever filters they try (narrow ones meant to isolate
// one seeker included), no response carries a contact id or name, no seeker count under 5, and no
// small cell stands alone in a column where its total is known (it could be recomputed).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { listReports } from '../server/core/reports/registry.ts';
import { REPORT_PRIVACY } from '../server/core/reports/privacy.ts';
import { DEMO_CANONICAL, createTestDb, rows, type TestDb } from './helpers.ts';
import { signIn, type SignedIn } from './session.ts';

let t: TestDb;
let app: FastifyInstance;
let people: { names: Set<string>; ids: Set<string> };
const users: Record<string, SignedIn> = {};

beforeAll(async () => {
  t = await createTestDb();
  await t.importAll([DEMO_CANONICAL]);
  app = await buildApp({ db: t.db, piiKey: t.key, webDir: path.join(t.dir, 'no-web') });
  users.marketer = await signIn(app, t.db, 'marketer');
  users.leader = await signIn(app, t.db, 'leader');
  const contacts = await rows<{ contact_id: string; name: string | null }>(t.db, "SELECT contact_id, name FROM contacts WHERE contact_type = 'access'");
  people = { names: new Set(contacts.map((c) => c.name).filter((n): n is string => !!n)), ids: new Set(contacts.map((c) => c.contact_id)) };
}, 300_000);
afterAll(async () => {
  await app.close();
  t.close();
});

// From wide to narrow: the last ones aim at a handful of seekers (one city, one campaign, one gender, one week).
const FILTERS: Record<string, string>[] = [
  {},
  { gender: 'female', language: 'ar' },
  { region: '1000000133', from: '2026-11-01', to: '2026-11-07' },
  { region: '1000000133', campaign: 'bible-giveaway', gender: 'male', language: 'fr', compare: 'previous' },
];

describe('aggregate-only roles', () => {
  it('never see a contact id, a name, a count under 5, or a lone small cell', async () => {
    let checkedCells = 0;
    let suppressedCells = 0;
    for (const role of ['marketer', 'leader']) {
      for (const report of listReports()) {
        const privacy = REPORT_PRIVACY[report.name];
        for (const filter of FILTERS) {
          const allowed = Object.fromEntries(Object.entries(filter).filter(([k]) => report.params.some((p) => p.name === k)));
          const res = await app.inject({ method: 'GET', url: `/api/reports/${report.name}?${new URLSearchParams(allowed)}`, headers: { cookie: users[role]!.cookie } });
          if (!privacy) {
            expect(res.statusCode, `${role} ${report.name}`).toBe(403);
            continue;
          }
          expect(res.statusCode, `${role} ${report.name} ${JSON.stringify(allowed)}: ${res.body.slice(0, 200)}`).toBe(200);
          const body = res.json() as { columns: { name: string }[]; rows: Record<string, unknown>[] };
          const counts = privacy.spec.columns.filter((c) => c.kind === 'count').map((c) => c.name);
          for (const column of body.columns) expect(column.name).not.toMatch(/contact_id|^name|multiplier_name|multiplier_id/);
          for (const row of body.rows) {
            for (const [key, value] of Object.entries(row)) {
              if (typeof value === 'string') expect(people.names.has(value), `${report.name}.${key} shows a name`).toBe(false);
              if (counts.includes(key)) {
                checkedCells++;
                if (typeof value === 'number') expect(value, `${role} ${report.name}.${key}`).toBeGreaterThanOrEqual(5);
                else {
                  suppressedCells++;
                  expect(['<5', 'hidden', null]).toContain(value);
                }
              }
            }
          }
          // A column whose total is known (the partition's sum) must not hide exactly one cell.
          for (const column of counts) {
            const hiddenCells = body.rows.filter((r) => r[column] === '<5' || r[column] === 'hidden').length;
            if (privacy.spec.partitions?.length === 1 && privacy.spec.partitions[0]!.over.length > 0 && body.rows.length > 1) {
              expect(hiddenCells, `${report.name}.${column} has a lone hidden cell`).not.toBe(1);
            }
          }
        }
      }
    }
    // The suite really met small counts and really checked cells.
    expect(checkedCells).toBeGreaterThan(500);
    expect(suppressedCells).toBeGreaterThan(20);
  }, 600_000);

  it('sees the same numbers as a dispatcher where counts are 5 or more', async () => {
    const dispatcher = await signIn(app, t.db, 'dispatcher');
    const get = async (who: SignedIn) => (await app.inject({ method: 'GET', url: '/api/reports/contacts_by_status', headers: { cookie: who.cookie } })).json();
    const full = await get(dispatcher);
    const suppressed = await get(users.marketer!);
    for (const row of full.rows as { overall_status: string; contacts: number }[]) {
      const shown = (suppressed.rows as { overall_status: string; contacts: unknown }[]).find((r) => r.overall_status === row.overall_status);
      if (typeof shown?.contacts === 'number') expect(shown.contacts).toBe(row.contacts);
      else expect(row.contacts < 5 || shown?.contacts === 'hidden').toBe(true);
    }
  });
});

describe('tables too big to audit quickly', () => {
  it('are refused to aggregate roles with a clear message instead of holding the server', async () => {
    const url = '/api/reports/demand?from=2025-01-01&grain=week&level=3';
    const dispatcher = await signIn(app, t.db, 'dispatcher');
    const full = await app.inject({ method: 'GET', url, headers: { cookie: dispatcher.cookie } });
    expect(full.json().rows.length).toBeGreaterThan(500);
    const marketer = await app.inject({ method: 'GET', url, headers: { cookie: users.marketer!.cookie } });
    expect(marketer.statusCode).toBe(400);
    expect(marketer.json().message).toMatch(/limited to 500.*shorter window/);
  });
});
