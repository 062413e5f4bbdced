// Value checks shared by the D.T parsers (REST, activity, CSV): dates in D.T's shapes, the
// "not in the future" rule, and row-level issues with contact details redacted, so every D.T
// format rejects the same things with the same words.
import type { ImportIssue } from './types.ts';
import { redactContactDetails } from './pii.ts';

/** Exports are taken in some time zone ahead of ours; a day of slack keeps honest data in. */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

export type Json = Record<string, unknown>;

/** Thrown while reading one row: the row is rejected with this field, value and reason, the rest goes on. */
export class RowRejected extends Error {
  constructor(readonly field: string | null, readonly value: unknown, readonly reason: string) {
    super(reason);
  }
}

export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** D.T writes epoch seconds as numbers in posts and as strings in activity ("1795339845"). */
export function dateFromEpochSeconds(value: unknown): Date | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^-?\d{1,12}$/.test(text)) return null;
  return new Date(Number(text) * 1000);
}

function utcDay(year: number, month: number, day: number): Date | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-31 over into March; a rolled date is a typo, not a date.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/**
 * A date as D.T formats it for people: "2026-09-02" (the site's date format in the samples),
 * "2026-09-02 13:45:00" (comment_date_gmt, UTC), or with English month names ("September 2, 2026",
 * "2 September 2026"), which other sites' date formats give. Numeric day/month orders such as
 * 02/09/2026 are ambiguous and are not guessed.
 */
export function dateFromDtText(value: string): Date | null {
  const text = value.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?(?:Z|[+-]00:?00)?)?$/.exec(text);
  if (m) {
    const day = utcDay(Number(m[1]), Number(m[2]), Number(m[3]));
    if (!day || m[4] === undefined) return day;
    const [h, min, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    if (h > 23 || min > 59 || s > 59) return null;
    return new Date(day.getTime() + ((h * 60 + min) * 60 + s) * 1000);
  }
  m = /^([A-Za-z]+)\.? (\d{1,2}),? (\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS.findIndex((name) => name.startsWith(m![1]!.toLowerCase()) && m![1]!.length >= 3);
    return month < 0 ? null : utcDay(Number(m[3]), month + 1, Number(m[2]));
  }
  m = /^(\d{1,2}) ([A-Za-z]+)\.?,? (\d{4})$/.exec(text);
  if (m) {
    const month = MONTHS.findIndex((name) => name.startsWith(m![2]!.toLowerCase()) && m![2]!.length >= 3);
    return month < 0 ? null : utcDay(Number(m[3]), month + 1, Number(m[1]));
  }
  return null;
}

/** Why a date can't be stored, or null when it can. */
export function dateProblem(date: Date | null, now: Date): string | null {
  if (date === null || Number.isNaN(date.getTime())) return 'unparseable date';
  if (date.getTime() > now.getTime() + FUTURE_SLACK_MS) return 'date is in the future';
  return null;
}

const ISO_DATE = /(\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?)/;

/**
 * Phones and e-mails replaced (pii.ts), but ISO dates kept: the phone pattern also matches
 * "2026-07-12", and a date in a comment or in a rejected cell is what a person needs to see.
 */
export function redact(text: string): string {
  return text
    .split(ISO_DATE)
    .map((part, index) => (index % 2 === 1 ? part : redactContactDetails(part)))
    .join('');
}

/** Issue values are stored and shown to admins: phones and e-mails never reach them. */
export function issue(
  kind: ImportIssue['kind'],
  file: string,
  row: number | null,
  field: string | null,
  value: unknown,
  reason: string,
): ImportIssue {
  let text: string | null = null;
  if (value !== null && value !== undefined) {
    text = redact(typeof value === 'string' ? value : JSON.stringify(value));
    if (text.length > 200) text = `${text.slice(0, 200)}…`;
  }
  return { kind, file, row, field, value: text, reason };
}

/**
 * A person's name with any phone or e-mail in it replaced, or null when nothing else is left:
 * D.T often names a contact after its phone or e-mail, and WordPress a user after a login that
 * is an e-mail address.
 */
export function personName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const name = redact(value.trim());
  return name.replace(/\[(phone|e-mail)\]/g, '').trim() === '' ? null : name;
}
