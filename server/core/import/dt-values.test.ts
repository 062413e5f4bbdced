import { describe, expect, it } from 'vitest';
import { dateFromDtText, dateFromEpochSeconds, dateProblem, issue, personName, redact } from './dt-values.ts';

describe('D.T dates', () => {
  it.each([
    ['2026-09-02', '2026-09-02T00:00:00.000Z'],
    ['2026-07-12 22:12:25', '2026-07-12T22:12:25.000Z'],
    ['September 2, 2026', '2026-09-02T00:00:00.000Z'],
    ['Sep 2, 2026', '2026-09-02T00:00:00.000Z'],
    ['2 September 2026', '2026-09-02T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(dateFromDtText(text)?.toISOString()).toBe(iso);
  });

  it.each(['02/09/2026', '2026-02-30', '2026-13-01', 'soon', '2026-07-12 25:00:00', 'Ma 2, 2026'])('does not guess %s', (text) => {
    expect(dateFromDtText(text)).toBeNull();
  });

  it('reads epoch seconds as numbers or strings', () => {
    expect(dateFromEpochSeconds(1795339845)).toEqual(new Date(1795339845000));
    expect(dateFromEpochSeconds('1795339845')).toEqual(new Date(1795339845000));
    expect(dateFromEpochSeconds('1795339845.5')).toBeNull();
    expect(dateFromEpochSeconds(null)).toBeNull();
  });

  it('allows a day of clock difference, no more', () => {
    const now = new Date('2026-11-25T00:00:00Z');
    expect(dateProblem(new Date('2026-11-25T23:00:00Z'), now)).toBeNull();
    expect(dateProblem(new Date('2026-11-26T01:00:00Z'), now)).toBe('date is in the future');
    expect(dateProblem(null, now)).toBe('unparseable date');
  });
});

describe('redaction', () => {
  it('replaces phones and e-mails but keeps dates', () => {
    expect(redact('Met on 2026-07-12 22:12, call +1 555 222 3333 or ali@example.com')).toBe('Met on 2026-07-12 22:12, call [phone] or [e-mail]');
  });

  it('names a person, or nobody when the name was only a phone or e-mail', () => {
    expect(personName(' Hannah Müller ')).toBe('Hannah Müller');
    expect(personName('+1 555 431 5457')).toBeNull();
    expect(personName('pat@example.org')).toBeNull();
    expect(personName('Ali (+1 555 431 5457)')).toBe('Ali ([phone])');
    expect(personName(42)).toBeNull();
  });

  it('redacts and shortens issue values', () => {
    expect(issue('reject', 'f.csv', 3, 'Phone', '+1 555 431 5457', 'x').value).toBe('[phone]');
    expect(issue('reject', 'f.csv', 3, 'Name', 'a'.repeat(500), 'x').value).toHaveLength(201);
    expect(issue('skipped', 'f.json', null, null, null, 'why').value).toBeNull();
  });
});
