// Server-side sessions. The cookie carries a random 32-byte token; the database keeps only its
// SHA-256, which is also the session id. A session ends when it is idle too long, when it is too
// old, at logout, and for all of a user's sessions when the password or role changes.
// The CSRF token is derived, not stored: HMAC(csrf key, session id), compared in constant time.
import type { AuthKeys } from './crypto.ts';
import { constantTimeEqual, hmacBase64Url, randomToken, sha256Hex } from './crypto.ts';
import type { Role } from './roles.ts';
import type { AuthStore } from './store.ts';

export interface SessionPolicy {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** Write last_seen at most this often, so a page of parallel report requests is not a burst of writes. */
  touchIntervalMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleTimeoutMs: 30 * 60 * 1000,
  absoluteTimeoutMs: 12 * 60 * 60 * 1000,
  touchIntervalMs: 60 * 1000,
};

/** Name of the cookie: the `__Host-` prefix makes the browser insist on Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = '__Host-handoff_session';
/** Without HTTPS (laptop-only localhost) a `__Host-` cookie is refused by browsers, so this name is used. */
export const SESSION_COOKIE_INSECURE = 'handoff_session';

export type RevokeReason = 'logout' | 'idle' | 'expired' | 'password' | 'role' | 'reset' | 'disabled' | 'admin';

export interface NewSession {
  /** Goes into the cookie, and nowhere else. */
  token: string;
  /** The session id (SHA-256 of the token): safe to log or show in an admin list. */
  sessionId: string;
  csrfToken: string;
  idleExpiresAtMs: number;
  absoluteExpiresAtMs: number;
}

export interface ActiveSession {
  sessionId: string;
  userId: number;
  login: string;
  role: Role;
  csrfToken: string;
  createdAtMs: number;
  lastSeenAtMs: number;
}

export function sessionIdOf(token: string): string {
  return sha256Hex(`session:${token}`);
}

export function csrfTokenFor(keys: AuthKeys, sessionId: string): string {
  return hmacBase64Url(keys.csrfKey, `csrf:${sessionId}`);
}

/** True when `provided` is the CSRF token of this session (constant-time comparison). */
export function verifyCsrfToken(keys: AuthKeys, sessionId: string, provided: string | null | undefined): boolean {
  if (typeof provided !== 'string' || provided.length === 0 || provided.length > 200) return false;
  return constantTimeEqual(csrfTokenFor(keys, sessionId), provided);
}

export async function createSession(
  store: AuthStore,
  keys: AuthKeys,
  userId: number,
  nowMs: number,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<NewSession> {
  const token = randomToken(32);
  const sessionId = sessionIdOf(token);
  await store.insertSession({ tokenHash: sessionId, userId, nowMs });
  return {
    token,
    sessionId,
    csrfToken: csrfTokenFor(keys, sessionId),
    idleExpiresAtMs: nowMs + policy.idleTimeoutMs,
    absoluteExpiresAtMs: nowMs + policy.absoluteTimeoutMs,
  };
}

/** Resolve a cookie token to a live session, or null. Expired sessions are revoked on the way out. The role
 *  comes from the user row as it is now, so a request never runs with a role the user no longer has. */
export async function validateSession(
  store: AuthStore,
  keys: AuthKeys,
  token: string | null | undefined,
  nowMs: number,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<ActiveSession | null> {
  if (typeof token !== 'string' || token.length < 20 || token.length > 200) return null;
  const sessionId = sessionIdOf(token);
  const session = await store.findSession(sessionId);
  if (session === null || session.revokedAtMs !== null) return null;
  if (nowMs - session.createdAtMs >= policy.absoluteTimeoutMs) {
    await store.revokeSession(sessionId, nowMs, 'expired');
    return null;
  }
  if (nowMs - session.lastSeenAtMs >= policy.idleTimeoutMs) {
    await store.revokeSession(sessionId, nowMs, 'idle');
    return null;
  }
  const user = await store.findUserById(session.userId);
  if (user === null || user.disabledAtMs !== null || user.passwordHash === null) {
    await store.revokeSession(sessionId, nowMs, 'disabled');
    return null;
  }
  let lastSeenAtMs = session.lastSeenAtMs;
  if (nowMs - session.lastSeenAtMs >= policy.touchIntervalMs) {
    await store.touchSession(sessionId, nowMs);
    lastSeenAtMs = nowMs;
  }
  return {
    sessionId,
    userId: user.id,
    login: user.login,
    role: user.role,
    csrfToken: csrfTokenFor(keys, sessionId),
    createdAtMs: session.createdAtMs,
    lastSeenAtMs,
  };
}

/** Logout: the session is dead on the server, whatever the browser keeps. */
export async function revokeSession(store: AuthStore, token: string, nowMs: number, reason: RevokeReason = 'logout'): Promise<boolean> {
  return store.revokeSession(sessionIdOf(token), nowMs, reason);
}

export async function revokeSessionById(store: AuthStore, sessionId: string, nowMs: number, reason: RevokeReason): Promise<boolean> {
  return store.revokeSession(sessionId, nowMs, reason);
}

/** Every session of the user, e.g. after a password or role change. Returns how many were live. */
export async function revokeAllSessions(store: AuthStore, userId: number, nowMs: number, reason: RevokeReason): Promise<number> {
  return store.revokeUserSessions(userId, nowMs, reason);
}

/** Housekeeping: drop rows of sessions that ended long ago (default: a week past the absolute timeout). */
export async function pruneSessions(store: AuthStore, nowMs: number, policy: SessionPolicy = DEFAULT_SESSION_POLICY, keepMs = 7 * 24 * 3600 * 1000): Promise<number> {
  return store.deleteSessionsCreatedBefore(nowMs - policy.absoluteTimeoutMs - keepMs);
}
