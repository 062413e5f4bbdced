import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, commonPasswordList, dummyPasswordHash, hashPassword, passwordLookupForms, verifyPassword } from './passwords.ts';

describe('hashPassword / verifyPassword', () => {
  it('hashes with argon2id at the OWASP baseline and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    const options = parseOptions(hash);
    expect(options.memoryCost).toBe(19_456);
    expect(options.timeCost).toBe(2);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false);
  });

  it('salts: the same password hashes differently', async () => {
    expect(await hashPassword('same password here')).not.toBe(await hashPassword('same password here'));
  });

  it('treats a malformed hash as a mismatch, not an error', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });

  it('has a dummy hash that costs a real verification', async () => {
    const dummy = await dummyPasswordHash();
    expect(dummy.startsWith('$argon2id$')).toBe(true);
    expect(await dummyPasswordHash()).toBe(dummy);
    expect(await verifyPassword(dummy, 'password')).toBe(false);
  });
});

describe('commonPasswordList', () => {
  it('is bundled and large enough to matter', () => {
    const list = commonPasswordList();
    expect(list.size).toBeGreaterThanOrEqual(1000);
    for (const word of ['password', '123456', 'qwerty', 'iloveyou', 'jesus', 'bismillah', 'password1234', 'qwertyuiop123']) {
      expect(list.has(word)).toBe(true);
    }
  });
});

describe('passwordLookupForms', () => {
  it.each([
    ['P@ssw0rd1234', 'password'],
    ['Sunshine2024!', 'sunshine'],
    ['  iloveyou  ', 'iloveyou'],
    ['123Dragon!!', 'dragon'],
  ])('%s is looked up as %s', (input, form) => {
    expect(passwordLookupForms(input)).toContain(form);
  });
});

describe('checkPasswordPolicy', () => {
  it.each([
    // [password, login, expected problems]
    ['short', 'amira', ['too_short']],
    ['elevenchars', 'amira', ['too_short']],
    ['password1234', 'amira', ['common']],
    ['P@ssw0rd2024!', 'amira', ['common']],
    ['Jesus12345678', 'amira', ['common']],
    ['qwertyuiop123', 'amira', ['common']],
    ['123456789012', 'amira', ['common']],
    ['iloveyou1234', 'amira', ['common']],
    ['amira-likes-tea-2024', 'amira', ['contains_login']],
    ['XXAMIRAXXyz91', 'amira', ['contains_login']],
    ['aaaaaaaaaaaaaaaa', 'amira', ['too_few_distinct_characters']],
    ['abababababababab', 'amira', ['too_few_distinct_characters']],
    ['my handoff password', 'amira', ['contains_product_name']],
    ['x'.repeat(300) + 'abcdef', 'amira', ['too_long']],
  ])('%s (login %s) -> %j', (password, login, problems) => {
    const check = checkPasswordPolicy(password, login);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problems).toEqual(problems);
  });

  it.each([
    ['correct horse battery staple', 'amira'],
    ['tea-kettle-olive-morning', 'dispatch1'],
    ['Zr8#mQ2v!Lp4Wx', 'leader'],
    ['شجرة زيتون في الصباح', 'amira'], // a passphrase in Arabic script counts by characters
  ])('%s (login %s) is accepted', (password, login) => {
    expect(checkPasswordPolicy(password, login)).toEqual({ ok: true });
  });

  it('does not apply the login rule to a login shorter than 3 characters', () => {
    expect(checkPasswordPolicy('blue river ledger 77', 'ed')).toEqual({ ok: true });
  });
});
