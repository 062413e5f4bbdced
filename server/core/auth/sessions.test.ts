import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAuthKeys } from './crypto.ts';
import {
  createSession, csrfTokenFor, DEFAULT_SESSION_POLICY, pruneSessions, revokeAllSessions, revokeSession, sessionIdOf,
  validateSession, verifyCsrfToken,
} from './sessions.ts';
import type { EnrolledUser, TestDb } from './test-db.ts';
import { dumpAuthTables, enrolUser, openTestDb } from './test-db.ts';
import { changeRole } from './users.ts';

let db: TestDb;
let user: EnrolledUser;
const t0 = Date.UTC(2026, 2, 3, 9, 0, 0);
const MIN = 60_000;

beforeAll(async () => {
  db = await openTestDb();
  user = await enrolUser(db, 'layla', 'dispatcher', t0);
});
afterAll(() => db.close());

describe('sessions', () => {
  it('issues a 32-byte random token and stores only its hash', async () => {
    const session = await createSession(db.store, db.keys, user.id, t0);
    expect(Buffer.from(session.token, 'base64url')).toHaveLength(32);
    expect(session.sessionId).toBe(sessionIdOf(session.token));
    const dump = await dumpAuthTables(db.connection);
    expect(dump).not.toContain(session.token);
    expect(dump).toContain(session.sessionId);
    expect(dump).not.toContain(session.csrfToken);
  });

  it('resolves a live session to the user and role', async () => {
    const session = await createSession(db.store, db.keys, user.id, t0);
    const active = await validateSession(db.store, db.keys, session.token, t0 + 5 * MIN);
    expect(active).toMatchObject({ userId: user.id, login: 'layla', role: 'dispatcher', csrfToken: session.csrfToken });
  });

  it.each([null, undefined, '', 'short', 'x'.repeat(500), 'A'.repeat(43)])('rejects the token %j', async (token) => {
    expect(await validateSession(db.store, db.keys, token, t0)).toBeNull();
  });

  it('ends after 30 minutes idle', async () => {
    const session = await createSession(db.store, db.keys, user.id, t0);
    expect(await validateSession(db.store, db.keys, session.token, t0 + 29 * MIN)).not.toBeNull();
    // Activity at 29 min keeps it alive until 59 min.
    expect(await validateSession(db.store, db.keys, session.token, t0 + 58 * MIN)).not.toBeNull();
    expect(await validateSession(db.store, db.keys, session.token, t0 + 58 * MIN + 30 * MIN)).toBeNull();
    // Once ended, it stays ended.
    expect(await validateSession(db.store, db.keys, session.token, t0 + 59 * MIN)).toBeNull();
    expect((await db.store.findSession(session.sessionId))?.revokedReason).toBe('idle');
  });

  it('ends after 12 hours however active', async () => {
    const session = await createSession(db.store, db.keys, user.id, t0);
    for (let t = t0; t < t0 + 12 * 60 * MIN; t += 20 * MIN) {
      expect(await validateSession(db.store, db.keys, session.token, t)).not.toBeNull();
    }
    expect(await validateSession(db.store, db.keys, session.token, t0 + 12 * 60 * MIN)).toBeNull();
    expect((await db.store.findSession(session.sessionId))?.revokedReason).toBe('expired');
  });

  it('honours a custom policy', async () => {
    const policy = { ...DEFAULT_SESSION_POLICY, idleTimeoutMs: 5 * MIN };
    const session = await createSession(db.store, db.keys, user.id, t0, policy);
    expect(session.idleExpiresAtMs).toBe(t0 + 5 * MIN);
    expect(await validateSession(db.store, db.keys, session.token, t0 + 6 * MIN, policy)).toBeNull();
  });

  it('logout ends the session on the server', async () => {
    const session = await createSession(db.store, db.keys, user.id, t0);
    expect(await revokeSession(db.store, session.token, t0 + MIN)).toBe(true);
    expect(await validateSession(db.store, db.keys, session.token, t0 + 2 * MIN)).toBeNull();
    expect(await revokeSession(db.store, session.token, t0 + 3 * MIN)).toBe(false);
  });

  it('revoking all sessions of a user ends every one of them', async () => {
    const other = await enrolUser(db, 'nabil', 'marketer', t0);
    const mine = [await createSession(db.store, db.keys, other.id, t0), await createSession(db.store, db.keys, other.id, t0)];
    const someoneElse = await createSession(db.store, db.keys, user.id, t0);
    expect(await revokeAllSessions(db.store, other.id, t0 + MIN, 'password')).toBe(2);
    for (const session of mine) expect(await validateSession(db.store, db.keys, session.token, t0 + 2 * MIN)).toBeNull();
    expect(await validateSession(db.store, db.keys, someoneElse.token, t0 + 2 * MIN)).not.toBeNull();
  });

  it('a role change ends the sessions that carried the old role', async () => {
    const other = await enrolUser(db, 'rania', 'dispatcher', t0);
    const session = await createSession(db.store, db.keys, other.id, t0);
    await changeRole(db.store, 'rania', 'marketer', { login: 'admin' }, t0 + MIN);
    expect(await validateSession(db.store, db.keys, session.token, t0 + 2 * MIN)).toBeNull();
  });

  it('prunes rows of long-ended sessions', async () => {
    const before = await db.store.findSession((await createSession(db.store, db.keys, user.id, t0)).sessionId);
    expect(before).not.toBeNull();
    const removed = await pruneSessions(db.store, t0 + 30 * 24 * 60 * MIN);
    expect(removed).toBeGreaterThan(0);
    expect(await db.store.findSession(before!.tokenHash)).toBeNull();
  });
});

describe('CSRF tokens', () => {
  it('binds the token to the session and verifies it', async () => {
    const a = await createSession(db.store, db.keys, user.id, t0);
    const b = await createSession(db.store, db.keys, user.id, t0);
    expect(a.csrfToken).toBe(csrfTokenFor(db.keys, a.sessionId));
    expect(verifyCsrfToken(db.keys, a.sessionId, a.csrfToken)).toBe(true);
    expect(verifyCsrfToken(db.keys, a.sessionId, b.csrfToken)).toBe(false); // another session's token
    expect(verifyCsrfToken(db.keys, a.sessionId, `${a.csrfToken.slice(0, -1)}A`)).toBe(false);
    for (const bad of ['', null, undefined, 'x'.repeat(1000)]) expect(verifyCsrfToken(db.keys, a.sessionId, bad)).toBe(false);
  });

  it('can not be made without the server key', () => {
    const other = deriveAuthKeys(Buffer.alloc(32, 1));
    expect(csrfTokenFor(other, 'abc')).not.toBe(csrfTokenFor(db.keys, 'abc'));
  });
});
