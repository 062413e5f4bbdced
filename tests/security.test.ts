// A hostile user's suite against the real server and a real database: sessions, roles, CSRF,
// throttling, injection and the file system. Roles are enforced by the server, not the page.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.ts';
import { can, totpCodeAt, type Permission, type Role } from '../server/core/auth/index.ts';
import { lockDownDatabase } from '../server/core/db/database.ts';
import { DT_SAMPLES, createTestDb, type TestDb } from './helpers.ts';
import { STRONG_PASSWORD, cookieOf, createAccount, signIn, type SignedIn } from './session.ts';

let t: TestDb;
let app: FastifyInstance;
const users = {} as Record<Role, SignedIn>;

beforeAll(async () => {
  t = await createTestDb();
  await t.importAll([path.join(DT_SAMPLES, 'rest/contacts_list'), path.join(DT_SAMPLES, 'rest/users'), path.join(DT_SAMPLES, 'location_grid.tsv')]);
  app = await buildApp({ db: t.db, piiKey: t.key, webDir: path.join(t.dir, 'no-web') });
  for (const role of ['admin', 'dispatcher', 'marketer', 'leader'] as Role[]) users[role] = await signIn(app, t.db, role);
});
afterAll(async () => {
  await app.close();
  t.close();
});

const concrete = (url: string) => url.replace(':name', 'funnel').replace(':login', 'nobody').replace(':attemptId', 'x');
const call = (method: string, url: string, user?: SignedIn, payload?: unknown) => app.inject({
  method: method as 'GET', url, payload: payload as object,
  headers: user ? { cookie: user.cookie, 'x-csrf-token': user.csrfToken } : {},
});

describe('every /api route', () => {
  it('answers 401 without a session (except the public ones)', async () => {
    const apiRoutes = app.handoff.routes.filter((r) => r.url.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(20);
    for (const route of apiRoutes) {
      const res = await call(route.method, concrete(route.url));
      if (route.permission === 'public') expect(res.statusCode, `${route.method} ${route.url}`).not.toBe(401);
      else expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('answers 403 to every role that may not use it', async () => {
    for (const route of app.handoff.routes.filter((r) => r.url.startsWith('/api/') && r.permission && !['public', 'session'].includes(r.permission))) {
      for (const role of Object.keys(users) as Role[]) {
        if (can(role, route.permission as Permission)) continue;
        const res = await call(route.method, concrete(route.url), users[role], {});
        expect(res.statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
      }
    }
  });

  it('refuses contact-level reports to marketers and leaders', async () => {
    for (const role of ['marketer', 'leader'] as Role[]) {
      for (const name of ['duplicates', 'match', 'accountability']) {
        const res = await call('GET', `/api/reports/${name}?contact_id=4`, users[role]);
        expect(res.statusCode, `${role} ${name}`).toBe(403);
      }
    }
  });
});

describe('login', () => {
  let account: { login: string; secret: string; recoveryCodes: string[] };
  beforeAll(async () => { account = await createAccount(app, t.db, 'leader'); });
  const attempt = (body: object, ip = '10.1.1.1') => app.inject({ method: 'POST', url: '/api/auth/login', payload: body, remoteAddress: ip });

  it('refuses a wrong password and a wrong TOTP with the same answer', async () => {
    const code = await totpCodeAt(account.secret, Date.now() + 30_000);
    const wrongPassword = await attempt({ login: account.login, password: 'not the password at all', totp: code });
    const wrongCode = await attempt({ login: account.login, password: STRONG_PASSWORD, totp: code === '000000' ? '111111' : '000000' });
    const unknown = await attempt({ login: 'nobody-here', password: STRONG_PASSWORD, totp: code });
    expect([wrongPassword.statusCode, wrongCode.statusCode, unknown.statusCode]).toEqual([401, 401, 401]);
    expect(wrongCode.body).toBe(wrongPassword.body);
    expect(unknown.body).toBe(wrongPassword.body);
  });

  it('refuses a TOTP code that was already used', async () => {
    const code = await totpCodeAt(account.secret, Date.now() + 30_000);
    const first = await attempt({ login: account.login, password: STRONG_PASSWORD, totp: code });
    expect(first.statusCode).toBe(200);
    const replay = await attempt({ login: account.login, password: STRONG_PASSWORD, totp: code });
    expect(replay.statusCode).toBe(401);
  });

  it('throttles a brute-force run', async () => {
    const victim = await createAccount(app, t.db, 'marketer');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push((await attempt({ login: victim.login, password: `guess number ${i} wrong`, totp: '123456' }, '10.9.9.9')).statusCode);
    }
    expect(statuses).toContain(429);
    // Even the right password is refused while the account is locked.
    const right = await attempt({ login: victim.login, password: STRONG_PASSWORD, totp: await totpCodeAt(victim.secret, Date.now() + 30_000) }, '10.2.2.2');
    expect(right.statusCode).toBe(401);
  });

  it('ends the session on logout, server-side', async () => {
    const user = await signIn(app, t.db, 'dispatcher');
    expect((await call('GET', '/api/auth/me', user)).json()).toMatchObject({ login: user.login });
    expect((await call('POST', '/api/auth/logout', user)).statusCode).toBe(200);
    expect((await call('GET', '/api/auth/me', user)).json()).toBeNull();
    expect((await call('GET', '/api/reports/funnel', user)).statusCode).toBe(401);
  });

  it('ends the sessions of a user whose role changes', async () => {
    const user = await signIn(app, t.db, 'dispatcher');
    const change = await call('POST', `/api/users/${user.login}/role`, users.admin, { role: 'marketer' });
    expect(change.statusCode).toBe(200);
    expect((await call('GET', '/api/reports/funnel', user)).statusCode).toBe(401);
  });

  it('refuses a cross-site POST, and a POST without the CSRF token', async () => {
    const admin = users.admin;
    const crossSite = await app.inject({ method: 'POST', url: '/api/users', payload: { login: 'evil', role: 'admin' },
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, origin: 'https://evil.example', host: 'localhost:3000' } });
    expect(crossSite.statusCode).toBe(403);
    const noToken = await app.inject({ method: 'POST', url: '/api/users', payload: { login: 'evil', role: 'admin' }, headers: { cookie: admin.cookie } });
    expect(noToken.statusCode).toBe(403);
    const wrongToken = await app.inject({ method: 'POST', url: '/api/users', payload: { login: 'evil', role: 'admin' }, headers: { cookie: admin.cookie, 'x-csrf-token': users.dispatcher.csrfToken } });
    expect(wrongToken.statusCode).toBe(403);
    const list = await call('GET', '/api/users', admin);
    expect(list.json().map((u: { login: string }) => u.login)).not.toContain('evil');
  });

  it('sets the session cookie HttpOnly and SameSite=Strict', async () => {
    const account2 = await createAccount(app, t.db, 'leader');
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': 'https' },
      payload: { login: account2.login, password: STRONG_PASSWORD, totp: await totpCodeAt(account2.secret, Date.now() + 30_000) } });
    const plain = String(res.headers['set-cookie']);
    expect(plain).toMatch(/HttpOnly/);
    expect(plain).toMatch(/SameSite=Strict/);
    expect(cookieOf(res.headers['set-cookie'])).toMatch(/^(__Host-)?handoff_session=/);
  });
});

describe('injection and the file system', () => {
  it('treats SQL in a parameter as a plain value', async () => {
    for (const value of ["'; DROP TABLE contacts; --", "read_csv('/etc/passwd')", "x' OR '1'='1"]) {
      const res = await call('GET', `/api/reports/contacts_by_status?campaign=${encodeURIComponent(value)}`, users.dispatcher);
      expect(res.statusCode).toBe(200);
      expect(res.json().rows).toEqual([]);
    }
    const [n] = (await t.db.connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM contacts')).getRowObjectsJson();
    expect(n!.n).toBeGreaterThan(0);
  });

  it('locks DuckDB away from the file system, even for a crafted query', async () => {
    const uploads = path.join(t.dir, 'uploads');
    fs.mkdirSync(uploads, { recursive: true });
    await lockDownDatabase(t.db.connection, [uploads]);
    const other = await t.db.instance.connect();
    for (const sql of ["SELECT * FROM read_csv('/etc/passwd')", "COPY contacts TO '/tmp/leak.csv'", "SET enable_external_access = true", `SELECT * FROM read_csv('${uploads}/../../../etc/passwd')`]) {
      await expect(other.run(sql), sql).rejects.toThrow(/disabled by configuration|locked|Permission/);
    }
    other.closeSync();
    // Uploads still import after the lock.
    const res = await call('GET', '/api/reports/funnel', users.dispatcher);
    expect(res.statusCode).toBe(200);
  });
});

describe('headers', () => {
  it('sends a strict CSP, no framing, nosniff and no referrer', async () => {
    const res = await call('GET', '/api/health');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });
});
