// No raw phone number or e-mail from the samples may appear anywhere in the DuckDB file (or its WAL):
// they are stored only as keyed hashes. Scans the bytes, so no code path can hide one.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../server/core/db/database.ts';
import { normaliseEmail, normalisePhone, piiHash } from '../server/core/import/pii.ts';
import { DT_SAMPLES, createTestDb, rows } from './helpers.ts';

function collectContactDetails(dir: string, out = new Set<string>()): Set<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) collectContactDetails(full, out);
    else if (/\.(json|csv)$/.test(entry.name)) {
      const text = fs.readFileSync(full, 'utf8');
      for (const m of text.matchAll(/\+1 555 \d{3} \d{4}/g)) out.add(m[0]);
      for (const m of text.matchAll(/[A-Za-z0-9._%+-]+@example\.(com|test)/g)) out.add(m[0]);
    }
  }
  return out;
}

describe('privacy at the door', () => {
  it('stores no raw phone or e-mail from the samples, only hashes that still match', async () => {
    const t = await createTestDb();
    await t.importAll([DT_SAMPLES]);
    const [aContact] = await rows<{ phone_hashes: string[] }>(t.db, "SELECT phone_hashes FROM contacts WHERE contact_id = '316'");
    // Kevin Brown's phone in the REST list: the stored hash is the keyed hash of its normalised form.
    expect(aContact!.phone_hashes).toContain(piiHash(t.key, normalisePhone('+1 555 431 5457')!));
    await t.db.connection.run('CHECKPOINT');
    t.close();

    const details = collectContactDetails(DT_SAMPLES);
    expect(details.size).toBeGreaterThan(300); // sanity: the scan really has the samples' values to look for
    const files = fs.readdirSync(t.dir).filter((f) => f.startsWith('handoff.duckdb')).map((f) => path.join(t.dir, f));
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(f)));
    const haystacks = [bytes.toString('latin1'), bytes.toString('utf8')];
    const found: string[] = [];
    for (const value of details) {
      const variants = [value, normalisePhone(value) ?? '', normaliseEmail(value) ?? ''].filter((v) => v.length > 6);
      if (variants.some((v) => haystacks.some((h) => h.includes(v)))) found.push(value);
    }
    expect(found).toEqual([]);

    // The key is beside the database, never inside it, and only its owner may read it.
    const keyFile = path.join(t.dir, 'handoff.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(haystacks[0]!.includes(fs.readFileSync(keyFile, 'utf8').trim())).toBe(false);
    const reopened = await openDatabase(t.dbPath);
    reopened.close();
  });
});
