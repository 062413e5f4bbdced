// Password hashing (argon2id) and the password policy.
// Policy follows NIST SP 800-63B: a minimum length and a block list, no composition rules and no
// forced expiry. The block list is bundled (common-passwords.txt, see README.md): no network.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import type { Algorithm, Options as Argon2Options } from '@node-rs/argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (~20-50 ms per hash on a laptop). */
export const ARGON2_OPTIONS: Argon2Options = {
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a const enum, which the test transpiler can't inline)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const MIN_PASSWORD_LENGTH = 12;
/** Long enough for any passphrase; short enough that nobody makes the server hash megabytes. */
export const MAX_PASSWORD_LENGTH = 256;
const MIN_DISTINCT_CHARACTERS = 5;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** Verify a password against a stored argon2 hash. A malformed hash counts as a mismatch. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** A real hash of a random password, made once per process with the same parameters as user hashes.
 *  Verifying against it costs what a real verification costs, so an unknown login takes as long as a known one. */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash(randomBytes(32).toString('base64url'), ARGON2_OPTIONS);
  return dummyHash;
}

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_login' | 'too_few_distinct_characters' | 'contains_product_name';

export type PasswordCheck = { ok: true } | { ok: false; problems: PasswordProblem[] };

let commonPasswords: ReadonlySet<string> | undefined;

/** The bundled list of common passwords, lower-case. */
export function commonPasswordList(): ReadonlySet<string> {
  commonPasswords ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line.length > 0 && !line.startsWith('#')),
  );
  return commonPasswords;
}

const LEET: Readonly<Record<string, string>> = { '@': 'a', '4': 'a', '8': 'b', '3': 'e', '1': 'i', '!': 'i', '0': 'o', '$': 's', '5': 's', '7': 't', '+': 't' };

/** The forms of a password that are looked up in the list: as typed, without the digits and symbols people
 *  bolt on at either end ("Sunshine2024!" -> "sunshine"), and with leetspeak undone ("P@ssw0rd" -> "password"). */
export function passwordLookupForms(password: string): string[] {
  const lower = password.normalize('NFKC').toLowerCase();
  const stripped = lower.replace(/^[^a-z\p{L}]+/u, '').replace(/[^a-z\p{L}]+$/u, '');
  const unleet = (text: string): string => [...text].map((ch) => LEET[ch] ?? ch).join('');
  const noSpaces = lower.replace(/\s+/g, '');
  const strippedNoSpaces = stripped.replace(/\s+/g, '');
  return [...new Set([lower, noSpaces, stripped, strippedNoSpaces, unleet(lower), unleet(stripped), unleet(strippedNoSpaces)])].filter((form) => form.length > 0);
}

const PRODUCT_NAMES = ['handoff', 'discipletools', 'disciple.tools'];

/** Check a new password. `login` is the account's login: a password containing it is refused. */
export function checkPasswordPolicy(password: string, login: string): PasswordCheck {
  const problems: PasswordProblem[] = [];
  const length = [...password].length; // code points, so a passphrase in Arabic counts as typed
  if (length < MIN_PASSWORD_LENGTH) problems.push('too_short');
  if (length > MAX_PASSWORD_LENGTH) problems.push('too_long');
  const forms = passwordLookupForms(password);
  const list = commonPasswordList();
  if (forms.some((form) => list.has(form))) problems.push('common');
  const loginLower = login.trim().toLowerCase();
  if (loginLower.length >= 3 && forms.some((form) => form.includes(loginLower))) problems.push('contains_login');
  if (new Set(password.toLowerCase()).size < MIN_DISTINCT_CHARACTERS) problems.push('too_few_distinct_characters');
  if (PRODUCT_NAMES.some((name) => forms.some((form) => form.includes(name)))) problems.push('contains_product_name');
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/** Human-readable reasons, for the CLI and the API's 400 answer. */
export const PASSWORD_PROBLEM_TEXT: Readonly<Record<PasswordProblem, string>> = {
  too_short: `Use at least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a good password.`,
  too_long: `Use at most ${MAX_PASSWORD_LENGTH} characters.`,
  common: 'This password is on the list of commonly used passwords.',
  contains_login: 'The password must not contain the login.',
  too_few_distinct_characters: `Use at least ${MIN_DISTINCT_CHARACTERS} different characters.`,
  contains_product_name: 'The password must not contain the name of this application.',
};
