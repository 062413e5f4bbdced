import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as auditModule from './audit.ts';
import { appendAudit, readAudit, redactDetail } from './audit.ts';
import type { TestDb } from './test-db.ts';
import { openTestDb } from './test-db.ts';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db.close());

describe('audit log', () => {
  it('appends and reads back newest first, with ids increasing', async () => {
    const t0 = Date.UTC(2026, 0, 10, 9, 0, 0);
    const first = await appendAudit(db.store, { action: 'import', actorLogin: 'amira', target: 'contacts.json', ip: '10.0.0.5', atMs: t0, detail: { rows: 120 } });
    const second = await appendAudit(db.store, { action: 'export', actorLogin: 'samir', target: 'demand', ip: '10.0.0.6', atMs: t0 + 1000, detail: { format: 'csv' } });
    expect(second).toBeGreaterThan(first);
    const entries = await readAudit(db.store, { limit: 2 });
    expect(entries.map((e) => e.action)).toEqual(['export', 'import']);
    expect(entries[1]).toEqual({ id: first, atMs: t0, actorLogin: 'amira', action: 'import', target: 'contacts.json', ip: '10.0.0.5', detail: { rows: 120 } });
  });

  it('filters and pages by id', async () => {
    for (let i = 0; i < 5; i++) await appendAudit(db.store, { action: 'login.failure', actorLogin: null, ip: '192.0.2.1', detail: { reason: 'unknown_login' } });
    const failures = await readAudit(db.store, { action: 'login.failure' });
    expect(failures).toHaveLength(5);
    expect(failures.every((e) => e.actorLogin === null)).toBe(true);
    const page1 = await readAudit(db.store, { limit: 3 });
    const page2 = await readAudit(db.store, { limit: 3, beforeId: page1[2]?.id ?? 0 });
    expect(page2[0]?.id).toBeLessThan(page1[2]?.id ?? 0);
    expect(await readAudit(db.store, { actorLogin: 'samir' })).toHaveLength(1);
    expect(await readAudit(db.store, { sinceMs: Date.UTC(2030, 0, 1) })).toHaveLength(0);
  });

  it('redacts secrets in detail, whatever the caller passes', async () => {
    await appendAudit(db.store, {
      action: 'user.created', actorLogin: 'admin', target: 'x',
      detail: { newPassword: 'hunter2hunter2', setup_token: 'abc', nested: { totp: '123456', recoveryCodes: ['a'] }, sessionsRevoked: 2, role: 'leader' },
    });
    const [entry] = await readAudit(db.store, { action: 'user.created' });
    expect(entry?.detail).toEqual({
      newPassword: '[redacted]', setup_token: '[redacted]', nested: { totp: '[redacted]', recoveryCodes: '[redacted]' }, sessionsRevoked: 2, role: 'leader',
    });
    expect(redactDetail({ note: 'x'.repeat(2000) })).toEqual({ note: `${'x'.repeat(500)}…` });
  });

  it('refuses an action name that is not a dotted identifier', async () => {
    await expect(appendAudit(db.store, { action: "x'); DROP TABLE audit_log; --", actorLogin: 'a' })).rejects.toThrow();
  });

  it('offers no way to change or delete an entry', () => {
    const exported = Object.keys(auditModule).sort();
    expect(exported).toEqual(['appendAudit', 'readAudit', 'redactDetail']);
    const storeMethods = Object.getOwnPropertyNames(Object.getPrototypeOf(db.store)).filter((name) => /audit/i.test(name));
    expect(storeMethods.sort()).toEqual(['appendAudit', 'readAudit']);
  });
});
