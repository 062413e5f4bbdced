// What the Users page shows of an account: plain words for its state, dates instead of epoch
// milliseconds. Pure, so the table and its CSV are tested without a browser.
import type { UserSummary } from '../api/types';
import type { TableData } from '../table/table';

export type AccountStatus = 'active' | 'setup pending' | 'locked' | 'disabled';

export function accountStatus(user: UserSummary, nowMs: number): AccountStatus {
  if (user.disabled) return 'disabled';
  if (user.setupPending) return 'setup pending';
  if (user.lockedUntilMs !== null && user.lockedUntilMs > nowMs) return 'locked';
  return 'active';
}

function isoDay(ms: number | null): string | null {
  return ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

export function usersTable(users: readonly UserSummary[], nowMs: number): TableData {
  return {
    columns: [
      { key: 'login', label: 'Login', meaning: 'text' },
      { key: 'role', label: 'Role', meaning: 'text' },
      { key: 'status', label: 'Status', meaning: 'text' },
      { key: 'recovery_codes_left', label: 'Recovery codes left', meaning: 'count' },
      { key: 'created', label: 'Created', meaning: 'date' },
      { key: 'password_changed', label: 'Password set', meaning: 'date' },
    ],
    rows: users.map((u) => ({
      login: u.login,
      role: u.role,
      status: accountStatus(u, nowMs),
      recovery_codes_left: u.setupPending ? null : u.recoveryCodesLeft,
      created: isoDay(u.createdAtMs),
      password_changed: isoDay(u.passwordChangedAtMs),
    })),
  };
}

/** Logins as the server accepts them (server/core/auth/users.ts), checked before sending. */
export const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._@-]{1,63}$/;

export function normaliseLogin(input: string): string {
  return input.normalize('NFKC').trim().toLowerCase();
}
