// Bad input: each case gives a clear message naming the file (and row and field where there is one)
// and leaves the previous data and dataset version exactly as they were.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFailed } from '../server/core/import/index.ts';
import { DT_SAMPLES, createTestDb, rows, tempDir, type TestDb } from './helpers.ts';

let t: TestDb;
let dir: string;
let snapshot: string;

async function dataSnapshot(): Promise<string> {
  const parts = await Promise.all([
    rows(t.db, 'SELECT * EXCLUDE (import_version) FROM contacts ORDER BY contact_id'),
    rows(t.db, 'SELECT * EXCLUDE (import_version) FROM events ORDER BY event_id'),
    rows(t.db, 'SELECT * EXCLUDE (import_version) FROM multipliers ORDER BY user_id'),
    rows(t.db, 'SELECT * FROM locations ORDER BY location_id'),
    rows(t.db, "SELECT max(version)::INTEGER AS v FROM imports WHERE outcome = 'ok'"),
  ]);
  return JSON.stringify(parts);
}

const listPage = () => JSON.parse(fs.readFileSync(path.join(DT_SAMPLES, 'rest/contacts_list/get_contacts_limit100_offset000.json'), 'utf8'));

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

async function expectRefused(file: string, message: RegExp): Promise<ImportFailed> {
  let failure: unknown;
  try {
    await t.importAll([file]);
  } catch (error) {
    failure = error;
  }
  expect(failure).toBeInstanceOf(ImportFailed);
  const f = failure as ImportFailed;
  expect(f.message).toContain(path.basename(file));
  expect(f.message).toMatch(message);
  expect(await dataSnapshot()).toBe(snapshot);
  return f;
}

beforeAll(async () => {
  t = await createTestDb();
  dir = tempDir();
  await t.importAll([path.join(DT_SAMPLES, 'rest/contacts_list'), path.join(DT_SAMPLES, 'rest/users'), path.join(DT_SAMPLES, 'location_grid.tsv')]);
  snapshot = await dataSnapshot();
});
afterAll(() => t.close());

describe('an import that is refused leaves the data as it was', () => {
  it('refuses an empty file', async () => {
    await expectRefused(write('empty.json', ''), /empty/);
  });

  it('refuses a truncated JSON file', async () => {
    const text = JSON.stringify(listPage());
    await expectRefused(write('truncated_contacts.json', text.slice(0, Math.floor(text.length / 2))), /not valid JSON|truncated/i);
  });

  it('refuses a CSV with a wrong column, naming the column', async () => {
    const f = await expectRefused(write('contacts.csv', 'contact_id,created_at,contact_type,colour\n1,2026-05-01,access,blue\n'), /colour/);
    expect(f.summary.outcome).toBe('refused');
  });

  it('rejects an unparseable date, naming row and field, and refuses when rejects pass 5%', async () => {
    const f = await expectRefused(write('dates.csv', 'contact_id,created_at,contact_type\nx1,2026-05-01,access\nx2,yesterday,access\n'), /row 2 field created_at/);
    expect(f.summary.issues.find((i) => i.kind === 'reject')).toMatchObject({ row: 2, field: 'created_at', value: 'yesterday' });
  });

  it('rejects a date in the future', async () => {
    await expectRefused(write('future.csv', 'contact_id,created_at,contact_type\nf1,2099-01-01,access\n'), /future/);
  });

  it('rejects an unknown status key in D.T JSON, naming row and field', async () => {
    const page = listPage();
    page.posts = page.posts.slice(0, 10);
    page.posts[3].overall_status = { key: 'on_fire', label: 'On fire' };
    await expectRefused(write('get_contacts_limit100_offset900.json', JSON.stringify(page)), /row 4.*overall_status|overall_status.*row 4/);
  });

  it('rejects a duplicated id within a file', async () => {
    await expectRefused(write('dupes.csv', 'contact_id,created_at,contact_type\nd1,2026-05-01,access\nd1,2026-05-02,access\n'), /repeated|duplicate/i);
  });

  it('refuses a file of an unknown format', async () => {
    await expectRefused(write('mystery.json', JSON.stringify({ hello: 'world' })), /unknown format/);
    await expectRefused(write('mystery.csv', 'a,b,c\n1,2,3\n'), /unknown CSV format/);
  });

  it('rolls back a crash mid-import (after merging, before commit)', async () => {
    const page = listPage();
    page.posts = page.posts.slice(0, 5).map((p: Record<string, unknown>) => ({ ...p, post_title: 'Changed Name', name: 'Changed Name' }));
    const file = write('get_contacts_limit100_offset800.json', JSON.stringify(page));
    await expect(t.importAll([file], { beforeCommit: () => { throw new Error('simulated power cut'); } })).rejects.toThrow(/simulated power cut/);
    expect(await dataSnapshot()).toBe(snapshot);
    const [attempt] = await rows<{ outcome: string; message: string }>(t.db, "SELECT outcome, message FROM imports ORDER BY started_at DESC LIMIT 1");
    expect(attempt).toEqual({ outcome: 'failed', message: 'simulated power cut' });
  });
});

describe('row problems under the threshold are reported, not silently dropped', () => {
  it('imports the good rows and stores each reject with file, row, field, value and reason', async () => {
    const lines = ['contact_id,created_at,contact_type,overall_status'];
    for (let i = 1; i <= 40; i++) lines.push(`ok${i},2026-06-01,access,active`);
    lines.push('bad1,2026-06-01,access,sleeping');
    const summary = await t.importAll([write('mostly-good.csv', lines.join('\n'))]);
    expect(summary.outcome).toBe('ok');
    expect(summary.counts!.contacts.added).toBe(40);
    const stored = await rows(t.db, 'SELECT file, row_number::INTEGER AS row, field, value, reason FROM import_issues WHERE attempt_id = $a AND kind = \'reject\'', { a: summary.attemptId });
    expect(stored).toEqual([{ file: expect.stringContaining('mostly-good.csv'), row: 41, field: 'overall_status', value: 'sleeping', reason: expect.stringContaining('allowed') }]);
    snapshot = await dataSnapshot();
  });

  it('skips a 403 body with a reason instead of refusing', async () => {
    const body = fs.readFileSync(path.join(DT_SAMPLES, 'rest/activity/contact_41_activity.json'), 'utf8');
    const summary = await t.importAll([write('forbidden/contact_41_activity.json', body)]);
    expect(summary.outcome).toBe('ok');
    expect(summary.issues).toEqual([expect.objectContaining({ kind: 'skipped', reason: expect.stringMatching(/permission|403/i) })]);
  });
});
