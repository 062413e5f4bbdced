// The audit log: who did what, when, from where. Append-only by construction: this module (and the
// store behind it) offers a writer and a reader, and no way to change or remove an entry.
import type { AuditQuery, AuditRecord, AuthStore } from './store.ts';

export type KnownAuditAction =
  | 'login.success' | 'login.failure' | 'logout' | 'session.expired'
  | 'setup.completed' | 'password.changed' | 'recovery.used' | 'recovery.regenerated'
  | 'user.created' | 'user.reset' | 'user.role_changed' | 'user.disabled' | 'user.enabled'
  | 'import' | 'export' | 'report.denied' | 'settings.changed';

/** Known actions, plus any other dotted name a later module needs (kept open so new features don't edit this). */
export type AuditAction = KnownAuditAction | (string & {});

export interface AuditEvent {
  action: AuditAction;
  /** The login acting; null when unknown (a failed login with a login that does not exist). */
  actorLogin: string | null;
  target?: string | null;
  ip?: string | null;
  /** Small JSON-able facts. Keys that look like secrets are redacted before writing. */
  detail?: Record<string, unknown>;
  atMs?: number;
}

export type AuditEntry = AuditRecord;

// A detail object must never carry a credential, even by mistake of a caller.
const SECRET_WORDS = new Set(['pass', 'password', 'passwd', 'passphrase', 'secret', 'token', 'totp', 'otp', 'code', 'codes', 'cookie', 'authorization', 'csrf', 'hash', 'key']);

/** `newPassword`, `setup_token`, `recovery-codes` -> secret; `sessionsRevoked`, `reason` -> not. */
function isSecretKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word) => SECRET_WORDS.has(word));
}
const MAX_DETAIL_STRING = 500;

/** Copy `detail` with secret-looking keys replaced by "[redacted]" and long strings cut. */
export function redactDetail(detail: unknown, depth = 0): unknown {
  if (depth > 4) return '[nested]';
  if (typeof detail === 'string') return detail.length > MAX_DETAIL_STRING ? `${detail.slice(0, MAX_DETAIL_STRING)}…` : detail;
  if (Array.isArray(detail)) return detail.slice(0, 50).map((item) => redactDetail(item, depth + 1));
  if (detail !== null && typeof detail === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(detail)) {
      out[key] = isSecretKey(key) ? '[redacted]' : redactDetail(value, depth + 1);
    }
    return out;
  }
  if (typeof detail === 'bigint') return detail.toString();
  return detail;
}

/** Append one entry; returns its id. */
export async function appendAudit(store: AuthStore, event: AuditEvent): Promise<number> {
  if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(event.action)) throw new Error(`invalid audit action name`);
  return store.appendAudit({
    atMs: event.atMs ?? Date.now(),
    actorLogin: event.actorLogin,
    action: event.action,
    target: event.target ?? null,
    ip: event.ip ?? null,
    detail: redactDetail(event.detail ?? {}) as Record<string, unknown>,
  });
}

/** Newest first, keyset-paged by id (pass the last id seen as beforeId). */
export async function readAudit(store: AuthStore, query: AuditQuery = {}): Promise<AuditEntry[]> {
  return store.readAudit(query);
}
