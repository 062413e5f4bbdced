// The `handoff` command as a user runs it: a real process, a real database file, exit codes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../server/core/db/database.ts';
import { DT_SAMPLES, tempDir } from './helpers.ts';

const handoff = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'handoff.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

describe('handoff CLI', () => {
  const dir = tempDir();
  const db = path.join(dir, 'cli.duckdb');

  it('imports a folder and prints a summary', () => {
    const result = handoff('import', path.join(DT_SAMPLES, 'rest', 'contacts_list'), path.join(DT_SAMPLES, 'rest', 'users'), '--db', db);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dataset version 1/);
    expect(result.stdout).toMatch(/contacts\s+303\s+0/);
    expect(result.stdout).toMatch(/multipliers\s+13\s+0/);
  });

  it('prints a report as JSON and as CSV', () => {
    const json = handoff('report', 'contacts_by_status', '--db', db, '--param', 'from=2026-01-01', '--param', 'gender=female');
    expect(json.status).toBe(0);
    const body = JSON.parse(json.stdout);
    expect(body.report).toBe('contacts_by_status');
    expect(body.params).toMatchObject({ from: '2026-01-01', gender: 'female' });
    expect(body.datasetVersion).toBe(1);
    expect(body.columns.map((c: { name: string }) => c.name).slice(0, 2)).toEqual(['overall_status', 'contacts']);
    const csv = handoff('report', 'contacts_by_status', '--db', db, '--param', 'from=2026-01-01', '--param', 'gender=female', '--format', 'csv');
    expect(csv.status).toBe(0);
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(body.rows.length + 1);
  });

  it('exits 1 naming file, row and field when an import is refused, and leaves the version', () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'contact_id,created_at,contact_type\nb1,not-a-date,access\n');
    const result = handoff('import', bad, '--db', db);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/bad\.csv row 1 field created_at/);
    expect(result.stderr).toMatch(/version 1 are unchanged/);
  });

  it('exits non-zero with a clear message for an unknown report or parameter', () => {
    expect(handoff('report', 'nope', '--db', db).stderr).toMatch(/unknown report "nope"/);
    const param = handoff('report', 'funnel', '--db', db, '--param', 'grain=decade');
    expect(param.status).not.toBe(0);
    expect(param.stderr).toMatch(/unknown parameter "grain"|grain/);
  });
});

describe('handoff user', () => {
  const db = path.join(tempDir(), 'users.duckdb');
  it('adds a user with a one-time setup link, lists and resets', () => {
    const add = handoff('user', 'add', 'dina', '--role', 'dispatcher', '--db', db);
    expect(add.status).toBe(0);
    const link = /(http:\/\/localhost:3000\/setup#token=\S+)/.exec(add.stdout)?.[1];
    expect(link).toBeDefined();
    const list = handoff('user', 'list', '--db', db);
    expect(list.stdout).toMatch(/dina\s+dispatcher\s+setup pending/);
    const reset = handoff('user', 'reset', 'dina', '--db', db);
    expect(reset.status).toBe(0);
    expect(reset.stdout).not.toContain(link!);
    expect(handoff('user', 'add', 'dina', '--role', 'dispatcher', '--db', db).status).toBe(1);
    expect(handoff('user', 'add', 'x2', '--role', 'boss', '--db', db).status).toBe(2);
  });
});
