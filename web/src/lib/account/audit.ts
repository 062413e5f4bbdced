// The audit log as an admin reads it: a time in their own clock, who, what, on what, from where,
// and the entry's small facts in words ("outcome: ok · files: 1"), never "[object Object]".
import type { TableData } from '../table/table';

/** GET /api/audit: one entry (append-only on the server). */
export interface AuditEntry {
  id: number;
  atMs: number;
  actorLogin: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

/** The actions the server writes (server/core/auth/audit.ts), for the filter. */
export const AUDIT_ACTIONS = [
  'login.success', 'login.failure', 'logout', 'session.expired', 'setup.completed', 'password.changed', 'recovery.used',
  'recovery.regenerated', 'user.created', 'user.reset', 'user.role_changed', 'user.disabled', 'user.enabled', 'import', 'export',
  'report.denied', 'settings.changed',
] as const;

function detailValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) return value.map(detailValue).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${detailValue(v)}`)
      .join(' ');
  }
  return String(value);
}

/** "outcome: ok · files: 1 · version: 3" */
export function describeDetail(detail: Record<string, unknown> | null | undefined): string {
  if (!detail) return '';
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${detailValue(v)}`)
    .join(' · ');
}

export function auditTable(entries: readonly AuditEntry[], formatTime: (ms: number) => string): TableData {
  return {
    columns: [
      { key: 'when', label: 'When', meaning: 'date' },
      { key: 'who', label: 'Who', meaning: 'text' },
      { key: 'action', label: 'Action', meaning: 'text' },
      { key: 'target', label: 'On', meaning: 'text' },
      { key: 'ip', label: 'From', meaning: 'text' },
      { key: 'detail', label: 'Detail', meaning: 'text' },
    ],
    rows: entries.map((e) => ({
      when: formatTime(e.atMs),
      who: e.actorLogin ?? '(unknown login)',
      action: e.action,
      target: e.target,
      ip: e.ip,
      detail: describeDetail(e.detail),
    })),
  };
}
