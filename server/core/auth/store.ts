// The persistence the auth core needs, as a small interface, and its DuckDB implementation.
// Every write that guards a security property (a TOTP step used once, a recovery code used once,
// the failure counter) is a single conditional UPDATE ... RETURNING, so two concurrent requests
// can't both win, and no multi-statement transaction is shared on one connection.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { Role } from './roles.ts';
import { isRole } from './roles.ts';

export interface UserRecord {
  id: number;
  login: string;
  role: Role;
  passwordHash: string | null;
  totpSecretSealed: string | null;
  totpPendingSealed: string | null;
  totpLastStep: number | null;
  recoveryCodeHashes: string[];
  failedAttempts: number;
  lockedUntilMs: number | null;
  passwordChangedAtMs: number | null;
  setupTokenHash: string | null;
  setupExpiresAtMs: number | null;
  disabledAtMs: number | null;
  createdAtMs: number;
}

export interface SessionRecord {
  tokenHash: string;
  userId: number;
  createdAtMs: number;
  lastSeenAtMs: number;
  revokedAtMs: number | null;
  revokedReason: string | null;
}

export interface AuditRecord {
  id: number;
  atMs: number;
  actorLogin: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export interface AuditQuery {
  /** Newest first; at most this many (default 100, at most 1000). */
  limit?: number;
  /** Keyset paging: only entries with id < beforeId. */
  beforeId?: number;
  action?: string;
  actorLogin?: string;
  sinceMs?: number;
}

export interface CompletedSetup {
  passwordHash: string;
  totpSecretSealed: string;
  totpLastStep: number;
  recoveryCodeHashes: string[];
  nowMs: number;
}

export interface AuthStore {
  // users
  insertUser(user: { login: string; role: Role; setupTokenHash: string; setupExpiresAtMs: number; nowMs: number }): Promise<number>;
  findUserByLogin(login: string): Promise<UserRecord | null>;
  findUserById(id: number): Promise<UserRecord | null>;
  findUserBySetupToken(tokenHash: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  countUsers(): Promise<number>;
  setRole(userId: number, role: Role): Promise<void>;
  setPassword(userId: number, passwordHash: string, nowMs: number): Promise<void>;
  /** Reset: forget password, TOTP and recovery codes; issue a new setup token; clear the lockout. */
  resetCredentials(userId: number, setupTokenHash: string, setupExpiresAtMs: number): Promise<void>;
  setPendingTotp(userId: number, sealed: string): Promise<void>;
  /** Finish setup atomically: password, confirmed TOTP secret, recovery codes; the setup token is spent.
   *  Returns false when the token was spent meanwhile. */
  completeSetup(userId: number, setupTokenHash: string, done: CompletedSetup): Promise<boolean>;
  /** Accept TOTP time step `step` only if it is newer than the last one accepted (compare-and-set). */
  claimTotpStep(userId: number, step: number): Promise<boolean>;
  /** Remove one recovery code hash if present; true when it was there (so it is used exactly once). */
  consumeRecoveryCode(userId: number, codeHash: string): Promise<boolean>;
  setRecoveryCodes(userId: number, codeHashes: string[]): Promise<void>;
  /** Count one more failed login; returns the new count. */
  incrementFailedAttempts(userId: number): Promise<number>;
  setLockedUntil(userId: number, lockedUntilMs: number | null): Promise<void>;
  clearFailedAttempts(userId: number): Promise<void>;
  setDisabled(userId: number, disabledAtMs: number | null): Promise<void>;
  // sessions
  insertSession(session: { tokenHash: string; userId: number; nowMs: number }): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRecord | null>;
  touchSession(tokenHash: string, nowMs: number): Promise<void>;
  revokeSession(tokenHash: string, nowMs: number, reason: string): Promise<boolean>;
  revokeUserSessions(userId: number, nowMs: number, reason: string): Promise<number>;
  countActiveSessions(userId: number): Promise<number>;
  /** Delete sessions created before `beforeMs` (long past their absolute timeout). */
  deleteSessionsCreatedBefore(beforeMs: number): Promise<number>;
  // audit (append-only: no update or delete)
  appendAudit(entry: Omit<AuditRecord, 'id'>): Promise<number>;
  readAudit(query: AuditQuery): Promise<AuditRecord[]>;
}

// Times cross the boundary as epoch milliseconds; DuckDB keeps TIMESTAMP (UTC) so the tables read well in SQL.
const USER_COLUMNS = `
  user_id, login, role, password_hash, totp_secret_sealed, totp_pending_sealed,
  CAST(totp_last_step AS DOUBLE) AS totp_last_step, recovery_code_hashes, failed_attempts,
  CAST(epoch_ms(locked_until) AS DOUBLE) AS locked_until_ms,
  CAST(epoch_ms(password_changed_at) AS DOUBLE) AS password_changed_at_ms,
  setup_token_hash, CAST(epoch_ms(setup_expires_at) AS DOUBLE) AS setup_expires_at_ms,
  CAST(epoch_ms(disabled_at) AS DOUBLE) AS disabled_at_ms,
  CAST(epoch_ms(created_at) AS DOUBLE) AS created_at_ms`;

const SESSION_COLUMNS = `
  token_hash, user_id, CAST(epoch_ms(created_at) AS DOUBLE) AS created_at_ms,
  CAST(epoch_ms(last_seen_at) AS DOUBLE) AS last_seen_at_ms,
  CAST(epoch_ms(revoked_at) AS DOUBLE) AS revoked_at_ms, revoked_reason`;

/** A TIMESTAMP from epoch ms bound as a parameter. */
const TS = (param: string): string => `epoch_ms(CAST(${param} AS BIGINT))`;

type Json = ReturnType<import('@duckdb/node-api').DuckDBResultReader['getRowObjectsJson']>[number];

function str(row: Json, key: string): string | null {
  const v = row[key];
  return v === null || v === undefined ? null : String(v);
}
function num(row: Json, key: string): number | null {
  const v = row[key];
  return v === null || v === undefined ? null : Number(v);
}

function toUser(row: Json): UserRecord {
  const role = row['role'];
  if (!isRole(role)) throw new Error(`users row with an unknown role`);
  const hashes = row['recovery_code_hashes'];
  return {
    id: Number(row['user_id']),
    login: String(row['login']),
    role,
    passwordHash: str(row, 'password_hash'),
    totpSecretSealed: str(row, 'totp_secret_sealed'),
    totpPendingSealed: str(row, 'totp_pending_sealed'),
    totpLastStep: num(row, 'totp_last_step'),
    recoveryCodeHashes: Array.isArray(hashes) ? hashes.map(String) : [],
    failedAttempts: Number(row['failed_attempts'] ?? 0),
    lockedUntilMs: num(row, 'locked_until_ms'),
    passwordChangedAtMs: num(row, 'password_changed_at_ms'),
    setupTokenHash: str(row, 'setup_token_hash'),
    setupExpiresAtMs: num(row, 'setup_expires_at_ms'),
    disabledAtMs: num(row, 'disabled_at_ms'),
    createdAtMs: Number(row['created_at_ms']),
  };
}

function toSession(row: Json): SessionRecord {
  return {
    tokenHash: String(row['token_hash']),
    userId: Number(row['user_id']),
    createdAtMs: Number(row['created_at_ms']),
    lastSeenAtMs: Number(row['last_seen_at_ms']),
    revokedAtMs: num(row, 'revoked_at_ms'),
    revokedReason: str(row, 'revoked_reason'),
  };
}

function toAudit(row: Json): AuditRecord {
  let detail: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(String(row['detail'] ?? '{}'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) detail = parsed as Record<string, unknown>;
  } catch {
    detail = {};
  }
  return {
    id: Number(row['id']),
    atMs: Number(row['at_ms']),
    actorLogin: str(row, 'actor_login'),
    action: String(row['action']),
    target: str(row, 'target'),
    ip: str(row, 'ip'),
    detail,
  };
}

/** A DuckDB list literal parameter: bound as JSON text and cast, since the binder takes scalars. */
const listParam = (values: string[]): string => JSON.stringify(values);

export class DuckDbAuthStore implements AuthStore {
  constructor(private readonly connection: DuckDBConnection) {}

  private async rows(sql: string, params: DuckDBValue[] = []): Promise<Json[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson();
  }

  private async exec(sql: string, params: DuckDBValue[] = []): Promise<void> {
    await this.connection.run(sql, params);
  }

  async insertUser(user: { login: string; role: Role; setupTokenHash: string; setupExpiresAtMs: number; nowMs: number }): Promise<number> {
    const rows = await this.rows(
      `INSERT INTO users (login, role, setup_token_hash, setup_expires_at, created_at)
       VALUES ($1, $2, $3, ${TS('$4')}, ${TS('$5')}) RETURNING user_id`,
      [user.login, user.role, user.setupTokenHash, user.setupExpiresAtMs, user.nowMs],
    );
    return Number(rows[0]?.['user_id']);
  }

  async findUserByLogin(login: string): Promise<UserRecord | null> {
    const rows = await this.rows(`SELECT ${USER_COLUMNS} FROM users WHERE login = $1`, [login]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findUserById(id: number): Promise<UserRecord | null> {
    const rows = await this.rows(`SELECT ${USER_COLUMNS} FROM users WHERE user_id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findUserBySetupToken(tokenHash: string): Promise<UserRecord | null> {
    const rows = await this.rows(`SELECT ${USER_COLUMNS} FROM users WHERE setup_token_hash = $1`, [tokenHash]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.rows(`SELECT ${USER_COLUMNS} FROM users ORDER BY login`)).map(toUser);
  }

  async countUsers(): Promise<number> {
    const rows = await this.rows(`SELECT CAST(count(*) AS INTEGER) AS n FROM users`);
    return Number(rows[0]?.['n'] ?? 0);
  }

  async setRole(userId: number, role: Role): Promise<void> {
    await this.exec(`UPDATE users SET role = $2 WHERE user_id = $1`, [userId, role]);
  }

  async setPassword(userId: number, passwordHash: string, nowMs: number): Promise<void> {
    await this.exec(`UPDATE users SET password_hash = $2, password_changed_at = ${TS('$3')} WHERE user_id = $1`, [userId, passwordHash, nowMs]);
  }

  async resetCredentials(userId: number, setupTokenHash: string, setupExpiresAtMs: number): Promise<void> {
    await this.exec(
      `UPDATE users SET password_hash = NULL, totp_secret_sealed = NULL, totp_pending_sealed = NULL, totp_last_step = NULL,
         recovery_code_hashes = [], failed_attempts = 0, locked_until = NULL,
         setup_token_hash = $2, setup_expires_at = ${TS('$3')}
       WHERE user_id = $1`,
      [userId, setupTokenHash, setupExpiresAtMs],
    );
  }

  async setPendingTotp(userId: number, sealed: string): Promise<void> {
    await this.exec(`UPDATE users SET totp_pending_sealed = $2 WHERE user_id = $1`, [userId, sealed]);
  }

  async completeSetup(userId: number, setupTokenHash: string, done: CompletedSetup): Promise<boolean> {
    const rows = await this.rows(
      `UPDATE users SET password_hash = $3, password_changed_at = ${TS('$4')},
         totp_secret_sealed = $5, totp_pending_sealed = NULL, totp_last_step = $6,
         recovery_code_hashes = CAST($7 AS VARCHAR[]), failed_attempts = 0, locked_until = NULL,
         setup_token_hash = NULL, setup_expires_at = NULL
       WHERE user_id = $1 AND setup_token_hash = $2
       RETURNING user_id`,
      [userId, setupTokenHash, done.passwordHash, done.nowMs, done.totpSecretSealed, done.totpLastStep, listParam(done.recoveryCodeHashes)],
    );
    return rows.length === 1;
  }

  async claimTotpStep(userId: number, step: number): Promise<boolean> {
    const rows = await this.rows(
      `UPDATE users SET totp_last_step = $2
       WHERE user_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING user_id`,
      [userId, step],
    );
    return rows.length === 1;
  }

  async consumeRecoveryCode(userId: number, codeHash: string): Promise<boolean> {
    const rows = await this.rows(
      `UPDATE users SET recovery_code_hashes = list_filter(recovery_code_hashes, lambda h: h <> $2)
       WHERE user_id = $1 AND list_contains(recovery_code_hashes, $2) RETURNING user_id`,
      [userId, codeHash],
    );
    return rows.length === 1;
  }

  async setRecoveryCodes(userId: number, codeHashes: string[]): Promise<void> {
    await this.exec(`UPDATE users SET recovery_code_hashes = CAST($2 AS VARCHAR[]) WHERE user_id = $1`, [userId, listParam(codeHashes)]);
  }

  async incrementFailedAttempts(userId: number): Promise<number> {
    const rows = await this.rows(
      `UPDATE users SET failed_attempts = failed_attempts + 1 WHERE user_id = $1 RETURNING failed_attempts`,
      [userId],
    );
    return Number(rows[0]?.['failed_attempts'] ?? 0);
  }

  async setLockedUntil(userId: number, lockedUntilMs: number | null): Promise<void> {
    if (lockedUntilMs === null) await this.exec(`UPDATE users SET locked_until = NULL WHERE user_id = $1`, [userId]);
    else await this.exec(`UPDATE users SET locked_until = ${TS('$2')} WHERE user_id = $1`, [userId, lockedUntilMs]);
  }

  async clearFailedAttempts(userId: number): Promise<void> {
    await this.exec(`UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE user_id = $1`, [userId]);
  }

  async setDisabled(userId: number, disabledAtMs: number | null): Promise<void> {
    if (disabledAtMs === null) await this.exec(`UPDATE users SET disabled_at = NULL WHERE user_id = $1`, [userId]);
    else await this.exec(`UPDATE users SET disabled_at = ${TS('$2')} WHERE user_id = $1`, [userId, disabledAtMs]);
  }

  async insertSession(session: { tokenHash: string; userId: number; nowMs: number }): Promise<void> {
    await this.exec(
      `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, ${TS('$3')}, ${TS('$3')})`,
      [session.tokenHash, session.userId, session.nowMs],
    );
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const rows = await this.rows(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = $1`, [tokenHash]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  async touchSession(tokenHash: string, nowMs: number): Promise<void> {
    await this.exec(`UPDATE sessions SET last_seen_at = ${TS('$2')} WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash, nowMs]);
  }

  async revokeSession(tokenHash: string, nowMs: number, reason: string): Promise<boolean> {
    const rows = await this.rows(
      `UPDATE sessions SET revoked_at = ${TS('$2')}, revoked_reason = $3
       WHERE token_hash = $1 AND revoked_at IS NULL RETURNING token_hash`,
      [tokenHash, nowMs, reason],
    );
    return rows.length === 1;
  }

  async revokeUserSessions(userId: number, nowMs: number, reason: string): Promise<number> {
    const rows = await this.rows(
      `UPDATE sessions SET revoked_at = ${TS('$2')}, revoked_reason = $3
       WHERE user_id = $1 AND revoked_at IS NULL RETURNING token_hash`,
      [userId, nowMs, reason],
    );
    return rows.length;
  }

  async countActiveSessions(userId: number): Promise<number> {
    const rows = await this.rows(`SELECT CAST(count(*) AS INTEGER) AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    return Number(rows[0]?.['n'] ?? 0);
  }

  async deleteSessionsCreatedBefore(beforeMs: number): Promise<number> {
    const rows = await this.rows(`DELETE FROM sessions WHERE created_at < ${TS('$1')} RETURNING token_hash`, [beforeMs]);
    return rows.length;
  }

  async appendAudit(entry: Omit<AuditRecord, 'id'>): Promise<number> {
    const rows = await this.rows(
      `INSERT INTO audit_log ("at", actor_login, action, target, ip, detail)
       VALUES (${TS('$1')}, $2, $3, $4, $5, $6) RETURNING CAST(id AS DOUBLE) AS id`,
      [entry.atMs, entry.actorLogin, entry.action, entry.target, entry.ip, JSON.stringify(entry.detail)],
    );
    return Number(rows[0]?.['id']);
  }

  async readAudit(query: AuditQuery): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: DuckDBValue[] = [];
    const bind = (value: DuckDBValue): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.beforeId !== undefined) where.push(`id < ${bind(query.beforeId)}`);
    if (query.action !== undefined) where.push(`action = ${bind(query.action)}`);
    if (query.actorLogin !== undefined) where.push(`actor_login = ${bind(query.actorLogin)}`);
    if (query.sinceMs !== undefined) where.push(`"at" >= ${TS(bind(query.sinceMs))}`);
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
    const rows = await this.rows(
      `SELECT CAST(id AS DOUBLE) AS id, CAST(epoch_ms("at") AS DOUBLE) AS at_ms, actor_login, action, target, ip, detail
       FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ${bind(limit)}`,
      params,
    );
    return rows.map(toAudit);
  }
}
