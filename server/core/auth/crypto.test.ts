import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, deriveAuthKeys, open, seal, sha256Hex } from './crypto.ts';

describe('deriveAuthKeys', () => {
  it('derives distinct 32-byte keys, the same ones from the same master key', () => {
    const master = randomBytes(32);
    const a = deriveAuthKeys(master);
    const b = deriveAuthKeys(Buffer.from(master));
    expect(a.totpKey).toHaveLength(32);
    expect(a.csrfKey).toHaveLength(32);
    expect(a.totpKey.equals(a.csrfKey)).toBe(false);
    expect(a.totpKey.equals(b.totpKey)).toBe(true);
    expect(deriveAuthKeys(randomBytes(32)).totpKey.equals(a.totpKey)).toBe(false);
  });

  it('refuses a short master key', () => {
    expect(() => deriveAuthKeys(randomBytes(16))).toThrow();
  });
});

describe('seal / open', () => {
  const key = randomBytes(32);

  it('round-trips and never contains the plaintext', () => {
    const sealed = seal(key, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'totp:1');
    expect(sealed).not.toContain('JBSWY3DP');
    expect(open(key, sealed, 'totp:1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV each time', () => {
    expect(seal(key, 'x', 'c')).not.toBe(seal(key, 'x', 'c'));
  });

  it.each([
    ['another context (a row copied to another user)', (s: string) => open(key, s, 'totp:2')],
    ['another key', (s: string) => open(randomBytes(32), s, 'totp:1')],
    ['a flipped ciphertext byte', (s: string) => {
      const parts = s.split('.');
      const body = Buffer.from(parts[2] ?? '', 'base64url');
      body[0] = (body[0] ?? 0) ^ 1;
      parts[2] = body.toString('base64url');
      return open(key, parts.join('.'), 'totp:1');
    }],
    ['garbage', () => open(key, 'nonsense', 'totp:1')],
  ])('refuses %s', (_name, attempt) => {
    const sealed = seal(key, 'secret', 'totp:1');
    expect(() => attempt(sealed)).toThrow();
  });
});

describe('constantTimeEqual / sha256Hex', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('%s vs %s -> %s', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });

  it('hashes like SHA-256', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
