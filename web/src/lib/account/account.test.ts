import { describe, expect, it } from 'vitest';
import { describeProblem, isSixDigitCode, localPasswordProblems, normaliseCode } from './password';
import { parseQrSvg, readAttributes } from './qr';
import { groupSecret, recoveryCodesText, recoveryFileName, tokenFromHash } from './setup';
import { accountStatus, LOGIN_PATTERN, normaliseLogin, usersTable } from './users';
import { auditTable, describeDetail } from './audit';
import type { UserSummary } from '../api/types';

// What the `qrcode` package writes (shortened path data).
const QR = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 37 37" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h37v37H0z"/><path stroke="#000000" d="M2 2.5h7m1 0h2M2 3.5h1"/></svg>\n';

describe('QR code', () => {
  it('reads the qrcode package output', () => {
    expect(parseQrSvg(QR)).toEqual({
      viewBox: '0 0 37 37',
      shapeRendering: 'crispEdges',
      paths: [{ d: 'M0 0h37v37H0z', fill: '#ffffff' }, { d: 'M2 2.5h7m1 0h2M2 3.5h1', stroke: '#000000' }],
    });
  });

  it.each([
    ['a script', QR.replace('</svg>', '<script>alert(1)</script></svg>')],
    ['an event handler', QR.replace('<svg ', '<svg onload="alert(1)" ')],
    ['an event handler on a path', QR.replace('<path fill', '<path onclick="x()" fill')],
    ['a foreignObject', QR.replace('</svg>', '<foreignObject><div>x</div></foreignObject></svg>')],
    ['a link', QR.replace('</svg>', '<a href="https://example.com"><path d="M0 0h1"/></a></svg>')],
    ['an image', QR.replace('</svg>', '<image href="https://example.com/x.png"/></svg>')],
    ['a style attribute', QR.replace('<path fill', '<path style="fill:red" fill')],
    ['a url() paint', QR.replace('fill="#ffffff"', 'fill="url(https://example.com/#a)"')],
    ['an entity', QR.replace('d="M0 0h37v37H0z"', 'd="&xxe;"')],
    ['a DOCTYPE', `<!DOCTYPE svg [<!ENTITY x "y">]>${QR}`],
    ['a different namespace', QR.replace('http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml')],
    ['HTML', '<div>not a QR code</div>'],
    ['an empty drawing', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg>'],
    ['no viewBox', '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>'],
    ['an unquoted attribute', QR.replace('fill="#ffffff"', 'fill=#ffffff')],
    ['a repeated attribute', QR.replace('fill="#ffffff"', 'fill="#ffffff" fill="#000"')],
    ['not a string', 42],
  ])('refuses %s', (_what, svg) => {
    expect(parseQrSvg(svg)).toBeNull();
  });

  it('reads attributes only when nothing else is between them', () => {
    expect(readAttributes(' a="1"  b-c="2" ')).toEqual(new Map([['a', '1'], ['b-c', '2']]));
    expect(readAttributes(' a="1" junk')).toBeNull();
  });
});

describe('setup link and codes', () => {
  it.each([
    ['#token=8h5_xAjd4etvJ8BpBy01Qhb7aJEQL4NJRVJi_BgEGys', '8h5_xAjd4etvJ8BpBy01Qhb7aJEQL4NJRVJi_BgEGys'],
    ['token=abcdefghijkl', 'abcdefghijkl'],
    ['#other=1&token=abcdefghijkl', 'abcdefghijkl'],
    ['', null],
    ['#token=', null],
    ['#token=short', null],
    ['#token=has%20space%20in%20it', null],
    ['#token=<script>alert(1)</script>', null],
  ])('tokenFromHash(%j) = %j', (hash, token) => {
    expect(tokenFromHash(hash)).toBe(token);
  });

  it('groups the secret for typing', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSW')).toBe('JBSW Y3DP EHPK 3PXP JBSW');
  });

  it('writes the recovery codes file', () => {
    const text = recoveryCodesText('amal', ['abcd-efgh', 'ijkl-mnop'], 'http://localhost:3000', new Date('2026-05-01T10:00:00Z'));
    expect(text.split('\n')).toEqual([
      'Handoff recovery codes for "amal" at http://localhost:3000',
      'Made 2026-05-01. Each code works once, in place of the six-digit code, if the phone is lost.',
      'Keep them somewhere safe and private.',
      '',
      'abcd-efgh',
      'ijkl-mnop',
      '',
    ]);
    expect(recoveryFileName('amal@team/x')).toBe('handoff-recovery-codes-amal-team-x.txt');
  });
});

describe('password form', () => {
  it.each([
    ['correct horse battery', 'correct horse battery', []],
    ['short', 'short', ['too_short']],
    ['correct horse battery', 'correct horse batter', ['mismatch']],
    ['ضع كلمة مرور طويلة', 'ضع كلمة مرور طويلة', []],
    ['😀😀😀😀😀😀', '😀😀😀😀😀😀', ['too_short']],
  ])('localPasswordProblems(%j, %j) = %j', (password, repeat, problems) => {
    expect(localPasswordProblems(password, repeat)).toEqual(problems);
  });

  it('says every server problem in words, and an unknown one too', () => {
    expect(describeProblem('common')).toMatch(/commonly used/);
    expect(describeProblem('new_rule')).toMatch(/new_rule/);
  });

  it.each([['123456', true], ['123 456', true], ['123-456', true], ['12345', false], ['abcdef', false]])('isSixDigitCode(%j) = %s', (code, ok) => {
    expect(isSixDigitCode(code)).toBe(ok);
    expect(normaliseCode(' 12 34 ')).toBe('1234');
  });
});

describe('users', () => {
  const base: UserSummary = {
    id: 1, login: 'amal', role: 'dispatcher', createdAtMs: Date.UTC(2026, 0, 2), passwordChangedAtMs: Date.UTC(2026, 0, 3),
    setupPending: false, totpEnrolled: true, recoveryCodesLeft: 9, lockedUntilMs: null, disabled: false,
  };
  const now = Date.UTC(2026, 1, 1);

  it.each([
    [{}, 'active'],
    [{ disabled: true, setupPending: true }, 'disabled'],
    [{ setupPending: true }, 'setup pending'],
    [{ lockedUntilMs: now + 1000 }, 'locked'],
    [{ lockedUntilMs: now - 1000 }, 'active'],
  ] as const)('%j is %s', (patch, status) => {
    expect(accountStatus({ ...base, ...patch }, now)).toBe(status);
  });

  it('shows dates, not milliseconds, and no recovery count before setup', () => {
    const table = usersTable([base, { ...base, login: 'new', setupPending: true, passwordChangedAtMs: null }], now);
    expect(table.rows).toEqual([
      { login: 'amal', role: 'dispatcher', status: 'active', recovery_codes_left: 9, created: '2026-01-02', password_changed: '2026-01-03' },
      { login: 'new', role: 'dispatcher', status: 'setup pending', recovery_codes_left: null, created: '2026-01-02', password_changed: null },
    ]);
  });

  it('checks logins as the server does', () => {
    expect(normaliseLogin('  Amal.K ')).toBe('amal.k');
    expect(LOGIN_PATTERN.test('amal.k')).toBe(true);
    expect(LOGIN_PATTERN.test('a')).toBe(false);
    expect(LOGIN_PATTERN.test('-amal')).toBe(false);
  });
});

describe('audit log', () => {
  it('says the facts in words and the time in the reader’s clock', () => {
    const table = auditTable([
      { id: 2, atMs: Date.UTC(2026, 10, 25, 9, 5), actorLogin: 'admin', action: 'import', target: 'a1', ip: '127.0.0.1', detail: { outcome: 'ok', files: 1, version: null, params: { from: '2026-01-01', region: '' } } },
      { id: 1, atMs: Date.UTC(2026, 10, 25, 9, 0), actorLogin: null, action: 'login.failure', target: 'nobody', ip: null, detail: null },
    ], (ms) => new Date(ms).toISOString().slice(0, 16));
    expect(table.rows).toEqual([
      { when: '2026-11-25T09:05', who: 'admin', action: 'import', target: 'a1', ip: '127.0.0.1', detail: 'outcome: ok · files: 1 · params: from=2026-01-01' },
      { when: '2026-11-25T09:00', who: '(unknown login)', action: 'login.failure', target: 'nobody', ip: null, detail: '' },
    ]);
    expect(describeDetail({ sessions_revoked: 2, from: 'marketer', to: 'leader' })).toBe('sessions revoked: 2 · from: marketer · to: leader');
  });
});
