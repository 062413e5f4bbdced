// Privacy at the door: phones and e-mails are normalised and stored only as keyed HMAC-SHA256
// hashes, so duplicates can still be found but a stolen database file reveals no number or address.
// The key lives beside the database (never inside it), created once with mode 0600.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';

export function keyPathFor(dbPath: string): string {
  return path.join(path.dirname(path.resolve(dbPath)), 'handoff.key');
}

export function loadOrCreatePiiKey(dbPath: string): Buffer {
  const keyPath = keyPathFor(dbPath);
  if (fs.existsSync(keyPath)) {
    const key = Buffer.from(fs.readFileSync(keyPath, 'utf8').trim(), 'hex');
    if (key.length < 32) throw new Error(`PII key ${keyPath} is damaged (expected 64 hex characters)`);
    return key;
  }
  fs.mkdirSync(path.dirname(keyPath), { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(keyPath, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}

/** Digits only, without the international "00" prefix: "+92 300-1234567" and "00923001234567" agree. */
export function normalisePhone(raw: string): string | null {
  const digits = raw.replace(/[^0-9]/g, '');
  const national = digits.startsWith('00') ? digits.slice(2) : digits;
  return national.length >= 5 ? national : null;
}

export function normaliseEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return email.includes('@') ? email : null;
}

export function piiHash(key: Buffer, normalised: string): string {
  return crypto.createHmac('sha256', key).update(normalised).digest('hex');
}

/**
 * The same normalisation and HMAC as SQL temp macros, so bulk CSV imports hash inside DuckDB
 * without raw values ever crossing into JS or a persistent table. TEMP macros live only in this
 * connection's memory: the key never reaches the database file.
 */
export async function installPiiMacros(connection: DuckDBConnection, key: Buffer): Promise<void> {
  const block = Buffer.alloc(64);
  key.copy(block);
  const inner = Buffer.from(block.map((b) => b ^ 0x36)).toString('hex');
  const outer = Buffer.from(block.map((b) => b ^ 0x5c)).toString('hex');
  await connection.run(`CREATE OR REPLACE TEMP MACRO pii_hmac(v) AS
    sha256(unhex('${outer}') || unhex(sha256(unhex('${inner}') || encode(v))))`);
  // No subquery here: DuckDB macros with subqueries can't be used inside list lambdas.
  await connection.run(`CREATE OR REPLACE TEMP MACRO pii_national_digits(p) AS
    regexp_replace(regexp_replace(p, '[^0-9]', '', 'g'), '^00', '')`);
  await connection.run(`CREATE OR REPLACE TEMP MACRO pii_normalise_phone(p) AS
    list_filter([pii_national_digits(p)], d -> strlen(d) >= 5)[1]`);
  await connection.run(`CREATE OR REPLACE TEMP MACRO pii_normalise_email(e) AS
    list_filter([lower(trim(e))], x -> contains(x, '@'))[1]`);
  // The same patterns as redactContactDetails, for free text that arrives through SQL (canonical CSV).
  await connection.run(`CREATE OR REPLACE TEMP MACRO pii_redact(t) AS replace(
    regexp_replace(regexp_replace(
      regexp_replace(t, '(\\d{4})-(\\d{2})-(\\d{2})', '\\1' || chr(1) || '\\2' || chr(1) || '\\3', 'g'),
      '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}', '[e-mail]', 'g'),
      '\\+?\\d[\\d\\s().-]{6,}\\d', '[phone]', 'g'),
    chr(1), '-')`);
  // The normalising macros above compute their value once (a one-element list stands in for a
  // variable); the regular expressions are most of the cost of hashing a million contacts.
  await connection.run(`CREATE OR REPLACE TEMP MACRO pii_phone_hashes(list) AS list_distinct(list_transform(
    list_filter(list_transform(list, x -> pii_normalise_phone(x)), d -> d IS NOT NULL), d -> pii_hmac(d)))`);
  await connection.run(`CREATE OR REPLACE TEMP MACRO pii_email_hashes(list) AS list_distinct(list_transform(
    list_filter(list_transform(list, x -> pii_normalise_email(x)), e -> e IS NOT NULL), e -> pii_hmac(e)))`);
}

/** Phones and e-mails in free text (activity notes, comments) are replaced before anything is stored.
 *  ISO dates (2026-07-12) look like digit runs too: they are shielded first so they survive. */
export function redactContactDetails(text: string): string {
  return text
    .replace(/(\d{4})-(\d{2})-(\d{2})/g, '$1\u0001$2\u0001$3')
    .replace(/[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi, '[e-mail]')
    .replace(/\+?\d[\d\s().-]{6,}\d/g, '[phone]')
    .replace(/\u0001/g, '-');
}
