import { describe, expect, it } from 'vitest';
import type { Permission, Role } from './roles.ts';
import { cacheKeyPart, can, CONTACT_LEVEL_REPORTS, dataScope, isRole, reportAccess, ROLES } from './roles.ts';

describe('permissions', () => {
  // Every role x permission, written out so a change to the grants shows up in review.
  const table: Array<[Permission, Record<Role, boolean>]> = [
    ['reports.aggregate', { admin: true, dispatcher: true, marketer: true, leader: true }],
    ['reports.contact-level', { admin: true, dispatcher: true, marketer: false, leader: false }],
    ['export.aggregate', { admin: true, dispatcher: true, marketer: true, leader: true }],
    ['export.contact-level', { admin: true, dispatcher: true, marketer: false, leader: false }],
    ['import', { admin: true, dispatcher: false, marketer: false, leader: false }],
    ['users.manage', { admin: true, dispatcher: false, marketer: false, leader: false }],
    ['audit.read', { admin: true, dispatcher: false, marketer: false, leader: false }],
    ['settings.manage', { admin: true, dispatcher: false, marketer: false, leader: false }],
    ['account.self', { admin: true, dispatcher: true, marketer: true, leader: true }],
  ];
  for (const [permission, expected] of table) {
    for (const role of ROLES) {
      it(`${role} ${expected[role] ? 'may' : 'may not'} ${permission}`, () => {
        expect(can(role, permission)).toBe(expected[role]);
      });
    }
  }
});

describe('data scope and report access', () => {
  it.each([
    ['admin', 'contact-level'],
    ['dispatcher', 'contact-level'],
    ['marketer', 'aggregate-only'],
    ['leader', 'aggregate-only'],
  ] as const)('%s sees %s', (role, scope) => {
    expect(dataScope(role)).toBe(scope);
  });

  it.each([
    ['marketer', 'demand', 'aggregate', 'suppressed'],
    ['leader', 'funnel', 'aggregate', 'suppressed'],
    ['marketer', 'accountability', 'aggregate', 'forbidden'], // contact-level by nature, whatever it declares
    ['leader', 'duplicates', 'contact-level', 'forbidden'],
    ['marketer', 'match', 'contact-level', 'forbidden'],
    ['leader', 'queue-details', 'contact-level', 'forbidden'],
    ['dispatcher', 'duplicates', 'contact-level', 'full'],
    ['admin', 'match', 'contact-level', 'full'],
    ['dispatcher', 'demand', 'aggregate', 'full'],
  ] as const)('%s asking for %s (%s) -> %s', (role, name, level, access) => {
    expect(reportAccess(role, { name, level })).toBe(access);
  });

  it('names the contact-level reports of the issue', () => {
    expect([...CONTACT_LEVEL_REPORTS].sort()).toEqual(['accountability', 'duplicates', 'match']);
  });

  it('puts the role in the cache key', () => {
    expect(new Set(ROLES.map(cacheKeyPart)).size).toBe(ROLES.length);
  });

  it.each([['admin', true], ['leader', true], ['strategist', false], ['ADMIN', false], [null, false]])('isRole(%s) = %s', (value, ok) => {
    expect(isRole(value)).toBe(ok);
  });
});
