// The real Fastify app over a real DuckDB file (inject, no port): health, catalogue, parameter
// validation, formats, and a cache that an import invalidates.
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { DT_SAMPLES, createTestDb, sampleListPosts, type TestDb } from './helpers.ts';
import { signIn, type SignedIn } from './session.ts';

let t: TestDb;
let app: FastifyInstance;
let dispatcher: SignedIn;
beforeAll(async () => {
  t = await createTestDb();
  await t.importAll([path.join(DT_SAMPLES, 'rest/contacts_list'), path.join(DT_SAMPLES, 'rest/users')]);
  app = await buildApp({ db: t.db, piiKey: t.key, webDir: path.join(t.dir, 'no-web') });
  dispatcher = await signIn(app, t.db, 'dispatcher');
});
afterAll(async () => {
  await app.close();
  t.close();
});

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers: { cookie: dispatcher.cookie, ...headers } });

describe('API', () => {
  it('answers health with the dataset version', async () => {
    const res = await get('/api/health');
    expect(res.statusCode).toBe(200);
    // The samples were exported on 2026-11-22: the latest last_modified among the contacts (README).
    // The site address comes from the posts' permalinks ("http://127.0.0.1:8080/contacts/316").
    expect(res.json()).toEqual({ ok: true, datasetVersion: 1, asOf: '2026-11-22', dtSiteUrl: 'http://127.0.0.1:8080' });
    const anonymous = await app.inject({ method: 'GET', url: '/api/health' });
    expect(anonymous.json()).toEqual({ ok: true, datasetVersion: 1 });
  });

  it('lists the catalogue with parameter declarations', async () => {
    const res = await get('/api/reports');
    const names = res.json().map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(['contacts_by_status', 'funnel']));
    const funnel = res.json().find((r: { name: string }) => r.name === 'funnel');
    expect(funnel.params.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'region', 'language']));
  });

  it('runs a report with the CLI\'s JSON shape, counting like an independent loop over the REST files', async () => {
    const res = await get('/api/reports/contacts_by_status?from=2026-01-01&to=2026-12-31');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['report', 'params', 'datasetVersion', 'columns', 'rows']);
    const oracle: Record<string, number> = {};
    for (const p of sampleListPosts()) if (p.type?.key === 'access') oracle[p.overall_status.key] = (oracle[p.overall_status.key] ?? 0) + 1;
    expect(Object.fromEntries(body.rows.map((r: { overall_status: string; contacts: number }) => [r.overall_status, r.contacts]))).toEqual(oracle);
    // D.T's order, not the alphabet.
    expect(body.rows.map((r: { overall_status: string }) => r.overall_status)).toEqual(['new', 'unassignable', 'unassigned', 'assigned', 'active', 'paused', 'closed']);
  });

  it('refuses bad parameters with a 400 naming the parameter and what is allowed', async () => {
    const bad = await get('/api/reports/funnel?gender=robot');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/gender/);
    const unknown = await get('/api/reports/funnel?colour=blue');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/colour/);
    const date = await get('/api/reports/funnel?from=2026-02-31');
    expect(date.statusCode).toBe(400);
    expect(date.json().message).toMatch(/from/);
    const order = await get('/api/reports/funnel?from=2026-05-01&to=2026-04-01');
    expect(order.statusCode).toBe(400);
  });

  it('answers 404 for an unknown report, and has no endpoint that takes SQL', async () => {
    expect((await get('/api/reports/drop_tables')).statusCode).toBe(404);
    const post = await app.inject({ method: 'POST', url: '/api/query', payload: { sql: 'SELECT 1' }, headers: { cookie: dispatcher.cookie, 'x-csrf-token': dispatcher.csrfToken } });
    expect(post.statusCode).toBe(404);
  });

  it('binds parameters: SQL in a value is just a value that matches nothing', async () => {
    const res = await get(`/api/reports/contacts_by_status?language=${encodeURIComponent("'; DROP TABLE contacts; --")}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().rows).toEqual([]);
    expect((await get('/api/reports/contacts_by_status')).json().rows.length).toBeGreaterThan(0);
  });

  it('serves CSV and Arrow IPC of the same rows', async () => {
    const json = (await get('/api/reports/funnel?from=2026-01-01')).json();
    const csv = await get('/api/reports/funnel?from=2026-01-01&format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(json.columns.map((c: { name: string }) => c.name).join(','));
    expect(lines).toHaveLength(json.rows.length + 1);
    const arrow = await get('/api/reports/funnel?from=2026-01-01', { accept: 'application/vnd.apache.arrow.stream' });
    expect(arrow.headers['content-type']).toMatch(/arrow/);
    const table = tableFromIPC(arrow.rawPayload);
    expect(table.numRows).toBe(json.rows.length);
    expect([...table.getChild('reached')!].map(Number)).toEqual(json.rows.map((r: { reached: number }) => r.reached));
  });

  it('caches by params and dataset version, and an import invalidates the cache', async () => {
    const first = await get('/api/reports/funnel?from=2026-03-01');
    const second = await get('/api/reports/funnel?from=2026-03-01');
    expect(first.headers['x-cache']).toBe('miss');
    expect(second.headers['x-cache']).toBe('hit');
    const concurrent = await Promise.all([1, 2, 3].map(() => get('/api/reports/funnel?from=2026-02-01')));
    expect(new Set(concurrent.map((r) => r.body)).size).toBe(1);
    await t.importAll([path.join(DT_SAMPLES, 'location_grid.tsv')]);
    const after = await get('/api/reports/funnel?from=2026-03-01');
    expect(after.headers['x-cache']).toBe('miss');
    expect(after.json().datasetVersion).toBe(2);
  });

  it('serves the OpenAPI description at /docs', async () => {
    const res = await get('/docs/json');
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(expect.arrayContaining(['/api/reports/funnel', '/api/health']));
  });
});
