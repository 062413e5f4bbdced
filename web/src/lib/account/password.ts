// The password rules as the setup form explains them. The server decides (argon2id, the bundled
// list of common passwords); the form checks only what it can see for itself, so a person learns
// "too short" or "the two do not match" before sending anything, and reads the server's
// `problems` in words afterwards.

export const MIN_PASSWORD_LENGTH = 12;

/** The server's password problems (server/core/auth/passwords.ts), said for a person. */
export const PASSWORD_PROBLEM_TEXT: Readonly<Record<string, string>> = {
  too_short: `Use at least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a good password.`,
  too_long: 'Use at most 256 characters.',
  common: 'This password is on the list of commonly used passwords.',
  contains_login: 'The password must not contain your login.',
  too_few_distinct_characters: 'Use at least 5 different characters.',
  contains_product_name: 'The password must not contain the name of this application.',
  mismatch: 'The two passwords are not the same.',
};

export function describeProblem(problem: string): string {
  return PASSWORD_PROBLEM_TEXT[problem] ?? `The server refused the password (${problem}).`;
}

/** What the form can tell before sending: length (in characters as typed) and the repeat. */
export function localPasswordProblems(password: string, repeat: string): string[] {
  const problems: string[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push('too_short');
  if (repeat !== password) problems.push('mismatch');
  return problems;
}

/** Six digits, with whatever people type between them ("123 456", "123-456") removed. */
export function normaliseCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function isSixDigitCode(input: string): boolean {
  return /^\d{6}$/.test(normaliseCode(input));
}
