import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { installPiiMacros, normaliseEmail, normalisePhone, piiHash, redactContactDetails } from './pii.ts';

const KEY = Buffer.from('0f'.repeat(32), 'hex');
const PHONES = ['+92 300 1234567', '00923001234567', '(0300) 123-4567', '+1 555 431 5457', '12', '', 'call me'];
const EMAILS = ['Amal@Example.com', ' amal@example.com ', 'not-an-email', ''];
const TEXTS = [
  'Met on 2026-07-12, call +92 300 1234567 or mail amal@example.com',
  'Baptism Date: 2026-10-10',
  'phone 0300-123-4567 and 00 44 20 7946 0000',
  'nothing personal here (3 meetings)',
];

describe('PII normalisation, hashing and redaction: the JS and SQL forms agree', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await installPiiMacros(connection, KEY);
  const sql = async (expr: string, v: string) =>
    (await connection.runAndReadAll(`SELECT ${expr} AS r`, { v })).getRowObjectsJson()[0]!.r as string | null;

  it('normalises phones the same way and keys the hash', async () => {
    expect(normalisePhone('+92 300 1234567')).toBe(normalisePhone('00923001234567'));
    for (const p of PHONES) {
      expect(await sql('pii_normalise_phone($v)', p)).toBe(normalisePhone(p));
      const n = normalisePhone(p);
      expect(await sql('pii_hmac(pii_normalise_phone($v))', p)).toBe(n === null ? null : piiHash(KEY, n));
    }
    expect(piiHash(KEY, '923001234567')).not.toBe(piiHash(Buffer.alloc(32, 1), '923001234567'));
  });

  it('normalises e-mails the same way', async () => {
    for (const e of EMAILS) expect(await sql('pii_normalise_email($v)', e)).toBe(normaliseEmail(e));
  });

  it('hashes lists of phones and e-mails as the JS does: normalised, unusable ones dropped, each once', async () => {
    const hashes = async (macro: string, list: string[]) =>
      ((await connection.runAndReadAll(`SELECT ${macro}($list::VARCHAR[]) AS r`, { list: `[${list.map((v) => `"${v}"`).join(',')}]` }))
        .getRowObjectsJson()[0]!.r as string[]).slice().sort();
    const expected = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null).map((v) => piiHash(KEY, v)))].sort();
    expect(await hashes('pii_phone_hashes', PHONES)).toEqual(expected(PHONES.map(normalisePhone)));
    expect(await hashes('pii_phone_hashes', PHONES).then((h) => h.length)).toBe(3); // two spellings of one number
    expect(await hashes('pii_email_hashes', EMAILS)).toEqual(expected(EMAILS.map(normaliseEmail)));
    expect(await hashes('pii_email_hashes', [])).toEqual([]);
  });

  it('redacts phones and e-mails but keeps dates, in JS and in SQL alike', async () => {
    expect(redactContactDetails(TEXTS[0]!)).toBe('Met on 2026-07-12, call [phone] or mail [e-mail]');
    expect(redactContactDetails(TEXTS[1]!)).toBe('Baptism Date: 2026-10-10');
    for (const t of TEXTS) expect(await sql('pii_redact($v)', t)).toBe(redactContactDetails(t));
  });
});
