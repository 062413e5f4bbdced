import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from './audit.ts';
import { createSession, validateSession } from './sessions.ts';
import type { TestDb } from './test-db.ts';
import { dumpAuthTables, enrolUser, openTestDb } from './test-db.ts';
import { login } from './throttle.ts';
import { totpCodeAt } from './totp.ts';
import {
  beginSetup, changePassword, changeRole, completeSetup, createUser, ensureFirstAdmin, listUsers,
  regenerateRecoveryCodes, resetUser, setUserDisabled, SETUP_TOKEN_TTL_MS, UserError,
} from './users.ts';

let db: TestDb;
const t0 = Date.UTC(2026, 6, 1, 10, 0, 0);
const MIN = 60_000;
const admin = { login: 'admin', ip: '127.0.0.1' };

beforeEach(async () => {
  db = await openTestDb();
});
afterEach(() => db.close());

async function expectUserError(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(UserError);
  await promise.catch((error: UserError) => expect(error.code).toBe(code));
}

describe('first admin', () => {
  it('is created on an empty database with a one-time setup token, never a password', async () => {
    const ticket = await ensureFirstAdmin(db.store, {}, t0);
    expect(ticket).not.toBeNull();
    expect(ticket!.login).toBe('admin');
    expect(ticket!.setupToken.length).toBeGreaterThanOrEqual(43);
    expect(ticket!.expiresAtMs).toBe(t0 + SETUP_TOKEN_TTL_MS);
    const [user] = await db.store.listUsers();
    expect(user?.passwordHash).toBeNull();
    expect(await dumpAuthTables(db.connection)).not.toContain(ticket!.setupToken);
    // No password works before setup: not empty, not "admin", not anything.
    for (const password of ['', 'admin', 'password', 'changeme']) {
      expect((await login(db.store, { login: 'admin', password, totp: '000000', ip: null }, { keys: db.keys, now: () => t0, minDurationMs: 0 })).ok).toBe(false);
    }
  });

  it('gets a fresh token on the next start while setup is pending (the old one stops working), and none after', async () => {
    const first = await ensureFirstAdmin(db.store, {}, t0);
    const second = await ensureFirstAdmin(db.store, {}, t0 + MIN);
    expect(second?.login).toBe('admin');
    expect(second?.setupToken).not.toBe(first?.setupToken);
    await expectUserError(beginSetup(db.store, db.keys, first!.setupToken, t0 + 2 * MIN), 'invalid_setup_token');
    const { enrolment } = await beginSetup(db.store, db.keys, second!.setupToken, t0 + 2 * MIN);
    await completeSetup(db.store, db.keys, { setupToken: second!.setupToken, password: 'sturdy lantern over water', totpCode: await totpCodeAt(enrolment.secret, t0 + 2 * MIN) }, t0 + 2 * MIN);
    expect(await ensureFirstAdmin(db.store, {}, t0 + 3 * MIN)).toBeNull();
    expect(await db.store.countUsers()).toBe(1);
  });
});

describe('setup', () => {
  it('walks from setup token to a working login, and the token works once', async () => {
    const ticket = await createUser(db.store, { login: 'Amira', role: 'dispatcher' }, admin, t0);
    expect(ticket.login).toBe('amira');
    const begun = await beginSetup(db.store, db.keys, ticket.setupToken, t0);
    expect(begun).toMatchObject({ login: 'amira', role: 'dispatcher' });
    // Reloading the page shows the same secret (the phone may already have scanned it).
    expect((await beginSetup(db.store, db.keys, ticket.setupToken, t0 + 1000)).enrolment.secret).toBe(begun.enrolment.secret);
    const secret = begun.enrolment.secret;

    await expectUserError(completeSetup(db.store, db.keys, { setupToken: ticket.setupToken, password: 'password1234', totpCode: await totpCodeAt(secret, t0) }, t0), 'weak_password');
    await expectUserError(completeSetup(db.store, db.keys, { setupToken: ticket.setupToken, password: 'amira is here 2026', totpCode: await totpCodeAt(secret, t0) }, t0), 'weak_password');
    await expectUserError(completeSetup(db.store, db.keys, { setupToken: ticket.setupToken, password: 'sturdy lantern over water', totpCode: '000000' }, t0), 'invalid_code');

    const done = await completeSetup(db.store, db.keys, { setupToken: ticket.setupToken, password: 'sturdy lantern over water', totpCode: await totpCodeAt(secret, t0), ip: '10.1.1.1' }, t0);
    expect(done.login).toBe('amira');
    expect(done.recoveryCodes).toHaveLength(10);
    await expectUserError(beginSetup(db.store, db.keys, ticket.setupToken, t0), 'invalid_setup_token');
    await expectUserError(completeSetup(db.store, db.keys, { setupToken: ticket.setupToken, password: 'another fine password', totpCode: await totpCodeAt(secret, t0) }, t0), 'invalid_setup_token');

    const later = t0 + 2 * MIN;
    const result = await login(db.store, { login: 'amira', password: 'sturdy lantern over water', totp: await totpCodeAt(secret, later), ip: null }, { keys: db.keys, now: () => later, minDurationMs: 0 });
    expect(result.ok).toBe(true);
    expect((await readAudit(db.store, { action: 'setup.completed' }))[0]).toMatchObject({ actorLogin: 'amira', ip: '10.1.1.1' });
  });

  it('refuses an expired or made-up setup token', async () => {
    const ticket = await createUser(db.store, { login: 'late', role: 'leader' }, admin, t0);
    await expectUserError(beginSetup(db.store, db.keys, ticket.setupToken, t0 + SETUP_TOKEN_TTL_MS), 'invalid_setup_token');
    await expectUserError(beginSetup(db.store, db.keys, 'x'.repeat(43), t0), 'invalid_setup_token');
    await expectUserError(beginSetup(db.store, db.keys, '', t0), 'invalid_setup_token');
  });
});

describe('user management', () => {
  it.each([['', 'invalid_login'], ['a', 'invalid_login'], ['bad login', 'invalid_login'], ["x'; DROP TABLE users; --", 'invalid_login'], ['-dash', 'invalid_login']])(
    'refuses the login %j', async (name, code) => {
      await expectUserError(createUser(db.store, { login: name, role: 'leader' }, admin, t0), code);
    },
  );

  it('refuses a taken login (case-insensitively) and an unknown role', async () => {
    await createUser(db.store, { login: 'samir', role: 'leader' }, admin, t0);
    await expectUserError(createUser(db.store, { login: 'SAMIR', role: 'leader' }, admin, t0), 'login_taken');
    await expectUserError(createUser(db.store, { login: 'x1', role: 'root' as never }, admin, t0), 'invalid_role');
  });

  it('lists users without hashes or secrets', async () => {
    const enrolled = await enrolUser(db, 'listed', 'marketer', t0);
    await createUser(db.store, { login: 'newbie', role: 'leader' }, admin, t0);
    const users = await listUsers(db.store);
    expect(users.map((u) => [u.login, u.role, u.setupPending, u.totpEnrolled, u.recoveryCodesLeft])).toEqual([
      ['listed', 'marketer', false, true, 10],
      ['newbie', 'leader', true, false, 0],
    ]);
    const text = JSON.stringify(users);
    expect(text).not.toMatch(/argon2|hash|sealed|secret/i);
    expect(text).not.toContain(enrolled.secret);
  });

  it('changes a role, ends the sessions, and audits it', async () => {
    const user = await enrolUser(db, 'dina', 'dispatcher', t0);
    const session = await createSession(db.store, db.keys, user.id, t0);
    expect(await changeRole(db.store, 'dina', 'leader', admin, t0 + MIN)).toEqual({ sessionsRevoked: 1 });
    expect(await validateSession(db.store, db.keys, session.token, t0 + MIN)).toBeNull();
    expect((await db.store.findUserById(user.id))?.role).toBe('leader');
    expect((await readAudit(db.store, { action: 'user.role_changed' }))[0]).toMatchObject({
      actorLogin: 'admin', target: 'dina', ip: '127.0.0.1', detail: { from: 'dispatcher', to: 'leader', sessions_revoked: 1 },
    });
    expect(await changeRole(db.store, 'dina', 'leader', admin, t0 + MIN)).toEqual({ sessionsRevoked: 0 });
    await expectUserError(changeRole(db.store, 'nobody', 'leader', admin, t0), 'unknown_user');
  });

  it('never leaves the system without an admin', async () => {
    await enrolUser(db, 'only-admin', 'admin', t0);
    await expectUserError(changeRole(db.store, 'only-admin', 'dispatcher', admin, t0), 'last_admin');
    await expectUserError(setUserDisabled(db.store, 'only-admin', true, admin, t0), 'last_admin');
    await createUser(db.store, { login: 'backup-admin', role: 'admin' }, admin, t0);
    await changeRole(db.store, 'only-admin', 'dispatcher', admin, t0);
  });

  it('reset forgets password, TOTP and recovery codes, ends sessions, and issues a new setup token', async () => {
    const user = await enrolUser(db, 'forgetful', 'dispatcher', t0);
    const session = await createSession(db.store, db.keys, user.id, t0);
    const ticket = await resetUser(db.store, 'forgetful', admin, t0 + MIN);
    expect(await validateSession(db.store, db.keys, session.token, t0 + MIN)).toBeNull();
    const record = (await db.store.findUserById(user.id))!;
    expect([record.passwordHash, record.totpSecretSealed, record.recoveryCodeHashes]).toEqual([null, null, []]);
    const later = t0 + 2 * MIN;
    expect((await login(db.store, { login: 'forgetful', password: user.password, totp: await totpCodeAt(user.secret, later), ip: null }, { keys: db.keys, now: () => later, minDurationMs: 0 })).ok).toBe(false);
    const { enrolment } = await beginSetup(db.store, db.keys, ticket.setupToken, later);
    expect(enrolment.secret).not.toBe(user.secret); // the lost phone's secret is not reused
  });

  it('changing the password checks the old one and the policy, and ends all sessions', async () => {
    const user = await enrolUser(db, 'mover', 'dispatcher', t0);
    const session = await createSession(db.store, db.keys, user.id, t0);
    await expectUserError(changePassword(db.store, { userId: user.id, currentPassword: 'not it at all', newPassword: 'brand new long phrase' }, t0), 'wrong_password');
    await expectUserError(changePassword(db.store, { userId: user.id, currentPassword: user.password, newPassword: 'qwerty123456' }, t0), 'weak_password');
    expect(await changePassword(db.store, { userId: user.id, currentPassword: user.password, newPassword: 'brand new long phrase' }, t0 + MIN)).toEqual({ sessionsRevoked: 1 });
    expect(await validateSession(db.store, db.keys, session.token, t0 + MIN)).toBeNull();
    expect((await db.store.findUserById(user.id))?.passwordChangedAtMs).toBe(t0 + MIN);
  });

  it('disabling ends sessions and blocks login; enabling restores it', async () => {
    await createUser(db.store, { login: 'keeper', role: 'admin' }, admin, t0);
    const user = await enrolUser(db, 'leaver', 'admin', t0);
    const session = await createSession(db.store, db.keys, user.id, t0);
    await setUserDisabled(db.store, 'leaver', true, admin, t0 + MIN);
    expect(await validateSession(db.store, db.keys, session.token, t0 + MIN)).toBeNull();
    await setUserDisabled(db.store, 'leaver', false, admin, t0 + 2 * MIN);
    const later = t0 + 3 * MIN;
    expect((await login(db.store, { login: 'leaver', password: user.password, totp: await totpCodeAt(user.secret, later), ip: null }, { keys: db.keys, now: () => later, minDurationMs: 0 })).ok).toBe(true);
    expect((await readAudit(db.store, {})).map((e) => e.action)).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled']));
  });

  it('regenerating recovery codes invalidates the old ones', async () => {
    const user = await enrolUser(db, 'regen', 'leader', t0);
    const fresh = await regenerateRecoveryCodes(db.store, user.id, { login: 'regen' }, t0);
    expect(fresh).toHaveLength(10);
    const options = { keys: db.keys, now: () => t0, minDurationMs: 0 };
    expect((await login(db.store, { login: 'regen', password: user.password, totp: user.recoveryCodes[0]!, ip: null }, options)).ok).toBe(false);
    expect((await login(db.store, { login: 'regen', password: user.password, totp: fresh[0]!, ip: null }, options)).ok).toBe(true);
  });
});
