// Test helper: a real DuckDB in a temporary file with the production schema applied (schema.sql, then
// schema_auth.sql, as the server does at creation). Not a mock: the SQL under test is the SQL that ships.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { AuthKeys } from './crypto.ts';
import { deriveAuthKeys } from './crypto.ts';
import type { Role } from './roles.ts';
import { DuckDbAuthStore } from './store.ts';
import { totpCodeAt } from './totp.ts';
import { beginSetup, completeSetup, createUser } from './users.ts';

export interface TestDb {
  connection: DuckDBConnection;
  store: DuckDbAuthStore;
  keys: AuthKeys;
  close(): void;
}

const queries = new URL('../../../queries/', import.meta.url);

export async function openTestDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-auth-'));
  const instance = await DuckDBInstance.create(join(dir, 'test.duckdb'));
  const connection = await instance.connect();
  await connection.run(readFileSync(new URL('schema.sql', queries), 'utf8'));
  await connection.run(readFileSync(new URL('schema_auth.sql', queries), 'utf8'));
  return {
    connection,
    store: new DuckDbAuthStore(connection),
    keys: deriveAuthKeys(randomBytes(32)),
    close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** All text in the auth tables, for "this secret is stored nowhere" assertions. */
export async function dumpAuthTables(connection: DuckDBConnection): Promise<string> {
  const parts: string[] = [];
  for (const table of ['users', 'sessions', 'audit_log']) {
    const reader = await connection.runAndReadAll(`SELECT * FROM ${table}`);
    parts.push(JSON.stringify(reader.getRowObjectsJson()));
  }
  return parts.join('\n');
}

export interface EnrolledUser {
  id: number;
  login: string;
  password: string;
  /** base32 TOTP secret, as the user's phone has it. */
  secret: string;
  recoveryCodes: string[];
}

/** Create a user and walk it through setup, as a person with a phone would. */
export async function enrolUser(db: TestDb, login: string, role: Role, nowMs: number, password = 'olive grove at dawn 42'): Promise<EnrolledUser> {
  const ticket = await createUser(db.store, { login, role }, { login: 'test-admin' }, nowMs);
  const { enrolment } = await beginSetup(db.store, db.keys, ticket.setupToken, nowMs);
  const code = await totpCodeAt(enrolment.secret, nowMs);
  const { recoveryCodes } = await completeSetup(db.store, db.keys, { setupToken: ticket.setupToken, password, totpCode: code }, nowMs);
  const user = await db.store.findUserByLogin(login);
  if (user === null) throw new Error('enrolUser: user missing');
  return { id: user.id, login, password, secret: enrolment.secret, recoveryCodes };
}
