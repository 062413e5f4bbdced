import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDb } from './test-db.ts';
import { dumpAuthTables, enrolUser, openTestDb } from './test-db.ts';
import {
  checkTotpCode, hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes, newTotpSecret, openTotpSecret,
  sealTotpSecret, totpCodeAt, totpEnrolment, totpTimeStep, verifySecondFactor,
} from './totp.ts';

// RFC 6238 appendix B, SHA-1 rows: the key is the ASCII string "12345678901234567890", 8 digits.
const RFC_KEY = new TextEncoder().encode('12345678901234567890');
const RFC_SHA1_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('RFC 6238 test vectors through the production code path', () => {
  it('T=59 -> 94287082 (the vector the issue names)', async () => {
    expect(await checkTotpCode({ secret: RFC_KEY, code: '94287082', nowMs: 59_000, digits: 8 })).toEqual({ valid: true, timeStep: 1 });
  });

  it.each(RFC_SHA1_VECTORS)('T=%i -> %s', async (seconds, code) => {
    expect(await totpCodeAt(RFC_KEY, seconds * 1000, 8)).toBe(code);
    const result = await checkTotpCode({ secret: RFC_KEY, code, nowMs: seconds * 1000, digits: 8 });
    expect(result).toEqual({ valid: true, timeStep: Math.floor(seconds / 30) });
  });

  it('refuses a wrong code for the vector', async () => {
    expect(await checkTotpCode({ secret: RFC_KEY, code: '94287083', nowMs: 59_000, digits: 8 })).toEqual({ valid: false });
  });
});

describe('checkTotpCode', () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 4, 1, 12, 0, 15);

  it.each([
    ['the current step', 0, true],
    ['one step back (phone clock slow)', -1, true],
    ['one step ahead (phone clock fast)', 1, true],
    ['two steps back', -2, false],
    ['two steps ahead', 2, false],
  ])('accepts a code from %s: %s', async (_name, stepOffset, valid) => {
    const code = await totpCodeAt(secret, now + stepOffset * 30_000);
    expect((await checkTotpCode({ secret, code, nowMs: now })).valid).toBe(valid);
  });

  it.each(['', '12345', '1234567', 'abcdef', '12345a', "1' OR '1'='1"])('refuses the malformed code %j without throwing', async (code) => {
    expect(await checkTotpCode({ secret, code, nowMs: now })).toEqual({ valid: false });
  });

  it('accepts spaces typed in the code', async () => {
    const code = await totpCodeAt(secret, now);
    expect((await checkTotpCode({ secret, code: `${code.slice(0, 3)} ${code.slice(3)}`, nowMs: now })).valid).toBe(true);
  });

  it('refuses a code whose step is not after afterTimeStep', async () => {
    const code = await totpCodeAt(secret, now);
    const step = totpTimeStep(now);
    expect((await checkTotpCode({ secret, code, nowMs: now, afterTimeStep: step })).valid).toBe(false);
    expect((await checkTotpCode({ secret, code, nowMs: now, afterTimeStep: step - 1 })).valid).toBe(true);
  });
});

describe('enrolment', () => {
  it('gives a 160-bit secret, an otpauth URI and a QR code drawn locally', async () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const enrolment = await totpEnrolment(secret, { login: 'amira' });
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/Handoff:amira\?/);
    const uri = new URL(enrolment.otpauthUri);
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Handoff');
    expect(enrolment.qrSvg.startsWith('<svg')).toBe(true);
    // Nothing in the image refers to another server.
    expect(enrolment.qrSvg).not.toMatch(/<image|href=|url\(/i);
    expect(enrolment.qrDataUrl.startsWith('data:image/png;base64,')).toBe(true);
  });

  it('seals the secret to one user', () => {
    const secret = newTotpSecret();
    const keys = { totpKey: Buffer.alloc(32, 7), csrfKey: Buffer.alloc(32, 8) };
    const sealed = sealTotpSecret(keys, 3, secret);
    expect(openTotpSecret(keys, 3, sealed)).toBe(secret);
    expect(() => openTotpSecret(keys, 4, sealed)).toThrow();
  });
});

describe('recovery codes', () => {
  it('makes 10 distinct 80-bit codes in a readable format', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-km-np-z2-9]{4}(-[a-km-np-z2-9]{4}){3}$/);
      expect(looksLikeRecoveryCode(code)).toBe(true);
    }
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });

  it('hashes codes the same however they are typed', () => {
    const [code = ''] = newRecoveryCodes(1);
    expect(hashRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(code)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('verifySecondFactor against the database', () => {
  let db: TestDb;
  const t0 = Date.UTC(2026, 4, 1, 8, 0, 0);
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(() => db.close());

  it('accepts a code once; the same code again, or an older one, is refused', async () => {
    const user = await enrolUser(db, 'totp-once', 'dispatcher', t0);
    const later = t0 + 5 * 60_000;
    const code = await totpCodeAt(user.secret, later);
    const record = async () => (await db.store.findUserById(user.id))!;
    expect(await verifySecondFactor(db.store, db.keys, await record(), code, later)).toEqual({ ok: true, method: 'totp' });
    expect(await verifySecondFactor(db.store, db.keys, await record(), code, later)).toEqual({ ok: false });
    expect(await verifySecondFactor(db.store, db.keys, await record(), code, later + 10_000)).toEqual({ ok: false });
    const previous = await totpCodeAt(user.secret, later - 30_000); // valid by the window, but older than the one used
    expect(await verifySecondFactor(db.store, db.keys, await record(), previous, later)).toEqual({ ok: false });
    const next = await totpCodeAt(user.secret, later + 30_000);
    expect(await verifySecondFactor(db.store, db.keys, await record(), next, later + 30_000)).toEqual({ ok: true, method: 'totp' });
  });

  it('lets only one of two concurrent requests with the same code through', async () => {
    const user = await enrolUser(db, 'totp-race', 'dispatcher', t0);
    const at = t0 + 60 * 60_000;
    const code = await totpCodeAt(user.secret, at);
    const record = (await db.store.findUserById(user.id))!;
    const results = await Promise.all([1, 2, 3, 4].map(() => verifySecondFactor(db.store, db.keys, record, code, at)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('the code typed during setup can not be replayed to log in', async () => {
    const user = await enrolUser(db, 'totp-setup', 'leader', t0);
    const setupCode = await totpCodeAt(user.secret, t0);
    expect(await verifySecondFactor(db.store, db.keys, (await db.store.findUserById(user.id))!, setupCode, t0 + 5_000)).toEqual({ ok: false });
  });

  it('accepts each recovery code once, in any case or spacing', async () => {
    const user = await enrolUser(db, 'recovery', 'marketer', t0);
    const [first = '', second = ''] = user.recoveryCodes;
    const record = async () => (await db.store.findUserById(user.id))!;
    expect(await verifySecondFactor(db.store, db.keys, await record(), first.toUpperCase(), t0)).toEqual({ ok: true, method: 'recovery', recoveryCodesLeft: 9 });
    expect(await verifySecondFactor(db.store, db.keys, await record(), first, t0)).toEqual({ ok: false });
    expect(await verifySecondFactor(db.store, db.keys, await record(), second.replace(/-/g, ' '), t0)).toEqual({ ok: true, method: 'recovery', recoveryCodesLeft: 8 });
    expect(await verifySecondFactor(db.store, db.keys, await record(), 'abcd-efgh-jkmn-pqrs', t0)).toEqual({ ok: false });
  });

  it('stores neither the TOTP secret nor a recovery code in readable form', async () => {
    const user = await enrolUser(db, 'at-rest', 'admin', t0);
    const dump = await dumpAuthTables(db.connection);
    expect(dump).not.toContain(user.secret);
    for (const code of user.recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace(/-/g, ''));
    }
    expect(dump).not.toContain(user.password);
  });
});
