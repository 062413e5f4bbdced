// User management: create (with a one-time setup token, never a default password), setup
// (password + TOTP enrolment + recovery codes), reset, list, change role, disable. Every change is
// audited; a password or role change ends all of the user's sessions.
import { appendAudit } from './audit.ts';
import type { AuthKeys } from './crypto.ts';
import { randomToken, sha256Hex } from './crypto.ts';
import type { PasswordProblem } from './passwords.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import type { Role } from './roles.ts';
import { isRole } from './roles.ts';
import { revokeAllSessions } from './sessions.ts';
import type { AuthStore, UserRecord } from './store.ts';
import type { TotpEnrolment } from './totp.ts';
import { checkTotpCode, hashRecoveryCode, newRecoveryCodes, newTotpSecret, openTotpSecret, sealTotpSecret, totpEnrolment } from './totp.ts';

/** Logins are lower-case ASCII: letters, digits and . _ @ -, 2 to 64 characters, starting with a letter or digit. */
export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/;

export function normaliseLogin(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}

export function isValidLogin(login: string): boolean {
  return LOGIN_PATTERN.test(login);
}

/** A setup link is valid for a day. */
export const SETUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** Who performs a change: a logged-in admin, or the CLI (login such as `cli:<os user>`). */
export interface Actor {
  login: string;
  ip?: string | null;
}

export type UserErrorCode =
  | 'invalid_login' | 'login_taken' | 'unknown_user' | 'invalid_role' | 'last_admin'
  | 'invalid_setup_token' | 'weak_password' | 'invalid_code' | 'wrong_password';

export class UserError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
    readonly problems: PasswordProblem[] = [],
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** What an admin sees of an account: never a hash or a secret. */
export interface UserSummary {
  id: number;
  login: string;
  role: Role;
  createdAtMs: number;
  passwordChangedAtMs: number | null;
  setupPending: boolean;
  totpEnrolled: boolean;
  recoveryCodesLeft: number;
  lockedUntilMs: number | null;
  disabled: boolean;
}

export function summarise(user: UserRecord): UserSummary {
  return {
    id: user.id,
    login: user.login,
    role: user.role,
    createdAtMs: user.createdAtMs,
    passwordChangedAtMs: user.passwordChangedAtMs,
    setupPending: user.passwordHash === null || user.totpSecretSealed === null,
    totpEnrolled: user.totpSecretSealed !== null,
    recoveryCodesLeft: user.recoveryCodeHashes.length,
    lockedUntilMs: user.lockedUntilMs,
    disabled: user.disabledAtMs !== null,
  };
}

export interface SetupTicket {
  login: string;
  /** Shown once (CLI output or the admin's screen), put in the setup link's #fragment; only its hash is stored. */
  setupToken: string;
  expiresAtMs: number;
}

const setupTokenHash = (token: string): string => sha256Hex(`setup:${token}`);

async function requireUser(store: AuthStore, login: string): Promise<UserRecord> {
  const user = await store.findUserByLogin(normaliseLogin(login));
  if (user === null) throw new UserError('unknown_user', 'No such user.');
  return user;
}

export async function createUser(store: AuthStore, input: { login: string; role: Role }, actor: Actor, nowMs = Date.now()): Promise<SetupTicket> {
  const login = normaliseLogin(input.login);
  if (!isValidLogin(login)) throw new UserError('invalid_login', 'A login is 2-64 characters: letters, digits, and . _ @ -');
  if (!isRole(input.role)) throw new UserError('invalid_role', 'Unknown role.');
  if ((await store.findUserByLogin(login)) !== null) throw new UserError('login_taken', 'This login is taken.');
  const setupToken = randomToken(32);
  const expiresAtMs = nowMs + SETUP_TOKEN_TTL_MS;
  await store.insertUser({ login, role: input.role, setupTokenHash: setupTokenHash(setupToken), setupExpiresAtMs: expiresAtMs, nowMs });
  await appendAudit(store, { action: 'user.created', actorLogin: actor.login, target: login, ip: actor.ip ?? null, atMs: nowMs, detail: { role: input.role } });
  return { login, setupToken, expiresAtMs };
}

/** At start: when there is no usable admin yet, create one (or renew the pending one's setup token) and
 *  return the ticket for the server to print. Null when an admin has completed setup. */
export async function ensureFirstAdmin(store: AuthStore, options: { login?: string; actor?: Actor } = {}, nowMs = Date.now()): Promise<SetupTicket | null> {
  const actor = options.actor ?? { login: 'system' };
  const admins = (await store.listUsers()).filter((user) => user.role === 'admin' && user.disabledAtMs === null);
  if (admins.some((admin) => admin.passwordHash !== null && admin.totpSecretSealed !== null)) return null;
  const pending = admins.sort((a, b) => a.createdAtMs - b.createdAtMs)[0];
  if (pending !== undefined) return issueSetupToken(store, pending, actor, nowMs);
  return createUser(store, { login: options.login ?? 'admin', role: 'admin' }, actor, nowMs);
}

async function issueSetupToken(store: AuthStore, user: UserRecord, actor: Actor, nowMs: number): Promise<SetupTicket> {
  const setupToken = randomToken(32);
  const expiresAtMs = nowMs + SETUP_TOKEN_TTL_MS;
  await store.resetCredentials(user.id, setupTokenHash(setupToken), expiresAtMs);
  const revoked = await revokeAllSessions(store, user.id, nowMs, 'reset');
  await appendAudit(store, { action: 'user.reset', actorLogin: actor.login, target: user.login, ip: actor.ip ?? null, atMs: nowMs, detail: { sessions_revoked: revoked } });
  return { login: user.login, setupToken, expiresAtMs };
}

/** Lost password or phone: forget password, TOTP and recovery codes, end all sessions, issue a new setup token. */
export async function resetUser(store: AuthStore, login: string, actor: Actor, nowMs = Date.now()): Promise<SetupTicket> {
  return issueSetupToken(store, await requireUser(store, login), actor, nowMs);
}

export async function listUsers(store: AuthStore): Promise<UserSummary[]> {
  return (await store.listUsers()).map(summarise);
}

async function assertNotLastAdmin(store: AuthStore, user: UserRecord): Promise<void> {
  if (user.role !== 'admin') return;
  const otherAdmins = (await store.listUsers()).filter((u) => u.role === 'admin' && u.disabledAtMs === null && u.id !== user.id);
  if (otherAdmins.length === 0) throw new UserError('last_admin', 'This is the last admin; make another admin first.');
}

/** Change a role; the user's sessions end, so the new role applies from the next login. */
export async function changeRole(store: AuthStore, login: string, role: Role, actor: Actor, nowMs = Date.now()): Promise<{ sessionsRevoked: number }> {
  if (!isRole(role)) throw new UserError('invalid_role', 'Unknown role.');
  const user = await requireUser(store, login);
  if (user.role === role) return { sessionsRevoked: 0 };
  if (role !== 'admin') await assertNotLastAdmin(store, user);
  await store.setRole(user.id, role);
  const sessionsRevoked = await revokeAllSessions(store, user.id, nowMs, 'role');
  await appendAudit(store, {
    action: 'user.role_changed', actorLogin: actor.login, target: user.login, ip: actor.ip ?? null, atMs: nowMs,
    detail: { from: user.role, to: role, sessions_revoked: sessionsRevoked },
  });
  return { sessionsRevoked };
}

export async function setUserDisabled(store: AuthStore, login: string, disabled: boolean, actor: Actor, nowMs = Date.now()): Promise<void> {
  const user = await requireUser(store, login);
  if (disabled) {
    if (user.disabledAtMs !== null) return;
    await assertNotLastAdmin(store, user);
    await store.setDisabled(user.id, nowMs);
    const revoked = await revokeAllSessions(store, user.id, nowMs, 'disabled');
    await appendAudit(store, { action: 'user.disabled', actorLogin: actor.login, target: user.login, ip: actor.ip ?? null, atMs: nowMs, detail: { sessions_revoked: revoked } });
  } else {
    if (user.disabledAtMs === null) return;
    await store.setDisabled(user.id, null);
    await appendAudit(store, { action: 'user.enabled', actorLogin: actor.login, target: user.login, ip: actor.ip ?? null, atMs: nowMs });
  }
}

async function userForSetupToken(store: AuthStore, setupToken: string, nowMs: number): Promise<UserRecord> {
  const user = typeof setupToken === 'string' && setupToken.length >= 20 && setupToken.length <= 200
    ? await store.findUserBySetupToken(setupTokenHash(setupToken))
    : null;
  if (user === null || user.setupExpiresAtMs === null || user.setupExpiresAtMs <= nowMs || user.disabledAtMs !== null) {
    throw new UserError('invalid_setup_token', 'This setup link is not valid (used, expired or mistyped). Ask an admin for a new one.');
  }
  return user;
}

/** Step 1 of setup: the QR code to scan. The same secret is shown again if the page is reloaded. */
export async function beginSetup(store: AuthStore, keys: AuthKeys, setupToken: string, nowMs = Date.now()): Promise<{ login: string; role: Role; enrolment: TotpEnrolment }> {
  const user = await userForSetupToken(store, setupToken, nowMs);
  let secret: string;
  if (user.totpPendingSealed !== null) {
    secret = openTotpSecret(keys, user.id, user.totpPendingSealed);
  } else {
    secret = newTotpSecret();
    await store.setPendingTotp(user.id, sealTotpSecret(keys, user.id, secret));
  }
  return { login: user.login, role: user.role, enrolment: await totpEnrolment(secret, { login: user.login }) };
}

/** Step 2 of setup: choose a password and prove the authenticator works. Returns the recovery codes, shown once. */
export async function completeSetup(
  store: AuthStore,
  keys: AuthKeys,
  input: { setupToken: string; password: string; totpCode: string; ip?: string | null },
  nowMs = Date.now(),
): Promise<{ login: string; recoveryCodes: string[] }> {
  const user = await userForSetupToken(store, input.setupToken, nowMs);
  if (user.totpPendingSealed === null) throw new UserError('invalid_code', 'Scan the QR code first.');
  const policy = checkPasswordPolicy(input.password, user.login);
  if (!policy.ok) throw new UserError('weak_password', 'The password does not meet the policy.', policy.problems);
  const secret = openTotpSecret(keys, user.id, user.totpPendingSealed);
  const check = await checkTotpCode({ secret, code: input.totpCode, nowMs });
  if (!check.valid) throw new UserError('invalid_code', 'The code does not match. Check the phone clock and try the next code.');
  const recoveryCodes = newRecoveryCodes();
  const done = await store.completeSetup(user.id, setupTokenHash(input.setupToken), {
    passwordHash: await hashPassword(input.password),
    totpSecretSealed: user.totpPendingSealed,
    totpLastStep: check.timeStep, // the code just typed can't also be used to log in
    recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode),
    nowMs,
  });
  if (!done) throw new UserError('invalid_setup_token', 'This setup link has just been used.');
  await revokeAllSessions(store, user.id, nowMs, 'password');
  await appendAudit(store, { action: 'setup.completed', actorLogin: user.login, target: user.login, ip: input.ip ?? null, atMs: nowMs });
  return { login: user.login, recoveryCodes };
}

/** A logged-in user changes their password: all their sessions end (the route then starts a new one). */
export async function changePassword(
  store: AuthStore,
  input: { userId: number; currentPassword: string; newPassword: string; ip?: string | null },
  nowMs = Date.now(),
): Promise<{ sessionsRevoked: number }> {
  const user = await store.findUserById(input.userId);
  if (user === null || user.passwordHash === null) throw new UserError('unknown_user', 'No such user.');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new UserError('wrong_password', 'The current password is wrong.');
  const policy = checkPasswordPolicy(input.newPassword, user.login);
  if (!policy.ok) throw new UserError('weak_password', 'The password does not meet the policy.', policy.problems);
  await store.setPassword(user.id, await hashPassword(input.newPassword), nowMs);
  const sessionsRevoked = await revokeAllSessions(store, user.id, nowMs, 'password');
  await appendAudit(store, { action: 'password.changed', actorLogin: user.login, target: user.login, ip: input.ip ?? null, atMs: nowMs, detail: { sessions_revoked: sessionsRevoked } });
  return { sessionsRevoked };
}

/** New recovery codes replace all old ones (after the user used some, or fears they leaked). */
export async function regenerateRecoveryCodes(store: AuthStore, userId: number, actor: Actor, nowMs = Date.now()): Promise<string[]> {
  const user = await store.findUserById(userId);
  if (user === null || user.totpSecretSealed === null) throw new UserError('unknown_user', 'No such user.');
  const codes = newRecoveryCodes();
  await store.setRecoveryCodes(user.id, codes.map(hashRecoveryCode));
  await appendAudit(store, { action: 'recovery.regenerated', actorLogin: actor.login, target: user.login, ip: actor.ip ?? null, atMs: nowMs });
  return codes;
}
