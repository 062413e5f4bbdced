// Login: password, then second factor, with a per-account lockout that backs off exponentially.
// Per-IP limits are the route's job (@fastify/rate-limit); this is the per-account half.
//
// The answer to a failed login is always the same generic error, and every login attempt takes the
// same time whether the login exists or not: an unknown login is verified against a dummy argon2 hash,
// and the whole procedure is padded to a fixed minimum duration so the database work (which differs
// between the cases) does not show either.
import { appendAudit } from './audit.ts';
import type { AuthKeys } from './crypto.ts';
import { dummyPasswordHash, MAX_PASSWORD_LENGTH, verifyPassword } from './passwords.ts';
import type { Role } from './roles.ts';
import type { NewSession, SessionPolicy } from './sessions.ts';
import { createSession, DEFAULT_SESSION_POLICY } from './sessions.ts';
import type { AuthStore, UserRecord } from './store.ts';
import { verifySecondFactor } from './totp.ts';
import { isValidLogin, normaliseLogin } from './users.ts';

export interface LockoutPolicy {
  /** Failures in a row before the account is paused. */
  maxFailures: number;
  /** Pause after the maxFailures-th failure; each further failure doubles it. */
  baseLockMs: number;
  /** Upper bound of a pause, so that an attacker can't lock a user out for days. */
  maxLockMs: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { maxFailures: 5, baseLockMs: 60_000, maxLockMs: 60 * 60_000 };

/** How long to pause an account after `failedAttempts` failures in a row (0 = not paused). */
export function lockoutDurationMs(failedAttempts: number, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): number {
  if (failedAttempts < policy.maxFailures) return 0;
  const doublings = Math.min(failedAttempts - policy.maxFailures, 30);
  return Math.min(policy.baseLockMs * 2 ** doublings, policy.maxLockMs);
}

export interface LoginAttempt {
  login: string;
  password: string;
  /** A 6-digit TOTP code or a recovery code. */
  totp: string;
  ip: string | null;
}

export interface LoginOptions {
  keys: AuthKeys;
  /** Clock in epoch ms (tests move it). */
  now?: () => number;
  lockout?: LockoutPolicy;
  session?: SessionPolicy;
  /** Every attempt lasts at least this long (default 400 ms: well above an argon2 verification). */
  minDurationMs?: number;
}

export type LoginFailureReason = 'unknown_login' | 'disabled' | 'setup_pending' | 'locked' | 'password' | 'second_factor';

export type LoginResult =
  | {
      ok: true;
      user: { id: number; login: string; role: Role };
      session: NewSession;
      secondFactor: 'totp' | 'recovery';
      /** Set when a recovery code was used, so the page can urge the user to make new ones. */
      recoveryCodesLeft?: number;
    }
  | { ok: false; error: 'invalid_credentials' };

/** The one message a failed login shows, whatever went wrong. */
export const LOGIN_FAILED_MESSAGE =
  'Login failed. Check the login, the password and the code. After several failed attempts an account is paused for a while.';

export const DEFAULT_MIN_LOGIN_MS = 400;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function login(store: AuthStore, attempt: LoginAttempt, options: LoginOptions): Promise<LoginResult> {
  const started = performance.now();
  const clock = options.now ?? Date.now;
  const lockout = options.lockout ?? DEFAULT_LOCKOUT_POLICY;
  try {
    return await loginUnpadded(store, attempt, options, clock(), lockout);
  } finally {
    const floor = options.minDurationMs ?? DEFAULT_MIN_LOGIN_MS;
    // Timers round to whole milliseconds and may wake a little early: sleep until the floor has passed.
    for (let left = floor - (performance.now() - started); left > 0; left = floor - (performance.now() - started)) {
      await sleep(Math.ceil(left));
    }
  }
}

async function loginUnpadded(store: AuthStore, attempt: LoginAttempt, options: LoginOptions, nowMs: number, lockout: LockoutPolicy): Promise<LoginResult> {
  const loginName = typeof attempt.login === 'string' ? normaliseLogin(attempt.login) : '';
  const user: UserRecord | null = isValidLogin(loginName) ? await store.findUserByLogin(loginName) : null;

  let reason: LoginFailureReason | null = null;
  if (user === null) reason = 'unknown_login';
  else if (user.disabledAtMs !== null) reason = 'disabled';
  else if (user.passwordHash === null || user.totpSecretSealed === null) reason = 'setup_pending';
  else if (user.lockedUntilMs !== null && user.lockedUntilMs > nowMs) reason = 'locked';

  // Always one argon2 verification: against the user's hash when the account can log in, else a dummy.
  const password = typeof attempt.password === 'string' ? attempt.password.slice(0, MAX_PASSWORD_LENGTH * 4) : '';
  const hashToCheck = reason === null && user?.passwordHash ? user.passwordHash : await dummyPasswordHash();
  const passwordOk = await verifyPassword(hashToCheck, password);
  if (reason === null && !passwordOk) reason = 'password';

  if (reason === null && user !== null) {
    const factor = await verifySecondFactor(store, options.keys, user, typeof attempt.totp === 'string' ? attempt.totp : '', nowMs);
    if (factor.ok) {
      await store.clearFailedAttempts(user.id);
      const session = await createSession(store, options.keys, user.id, nowMs, options.session ?? DEFAULT_SESSION_POLICY);
      await appendAudit(store, {
        action: 'login.success', actorLogin: user.login, target: user.login, ip: attempt.ip, atMs: nowMs,
        detail: { method: factor.method },
      });
      if (factor.method === 'recovery') {
        await appendAudit(store, {
          action: 'recovery.used', actorLogin: user.login, target: user.login, ip: attempt.ip, atMs: nowMs,
          detail: { left: factor.recoveryCodesLeft },
        });
        return { ok: true, user: { id: user.id, login: user.login, role: user.role }, session, secondFactor: 'recovery', recoveryCodesLeft: factor.recoveryCodesLeft };
      }
      return { ok: true, user: { id: user.id, login: user.login, role: user.role }, session, secondFactor: 'totp' };
    }
    reason = 'second_factor';
  }

  // Count the failure against the account (not while it is paused: the pause then ends on time, and
  // each failure after it doubles the next pause).
  let pausedForMs = 0;
  if (user !== null && (reason === 'password' || reason === 'second_factor')) {
    const failures = await store.incrementFailedAttempts(user.id);
    pausedForMs = lockoutDurationMs(failures, lockout);
    if (pausedForMs > 0) await store.setLockedUntil(user.id, nowMs + pausedForMs);
  }
  // An unknown login is recorded without the text typed: people type their password into the login box.
  await appendAudit(store, {
    action: 'login.failure', actorLogin: user?.login ?? null, target: user?.login ?? null, ip: attempt.ip, atMs: nowMs,
    detail: pausedForMs > 0 ? { reason, paused_seconds: Math.round(pausedForMs / 1000) } : { reason },
  });
  return { ok: false, error: 'invalid_credentials' };
}
