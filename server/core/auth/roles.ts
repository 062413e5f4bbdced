// Who may do what. Enforced on the server (route adapters call these), never only in the page.

export type Role = 'admin' | 'dispatcher' | 'marketer' | 'leader';
export const ROLES: readonly Role[] = ['admin', 'dispatcher', 'marketer', 'leader'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** What a role may see of the contact data. */
export type DataScope = 'contact-level' | 'aggregate-only';

/** dispatcher and admin work with single contacts; marketer and leader only ever get suppressed aggregates. */
export function dataScope(role: Role): DataScope {
  return role === 'admin' || role === 'dispatcher' ? 'contact-level' : 'aggregate-only';
}

export type Permission =
  | 'reports.aggregate'      // aggregate reports (suppressed for aggregate-only roles)
  | 'reports.contact-level'  // reports whose rows are single contacts: accountability details, duplicates, match
  | 'export.aggregate'
  | 'export.contact-level'
  | 'import'                 // load data files
  | 'users.manage'           // create, reset, change role, disable
  | 'audit.read'
  | 'settings.manage'
  | 'account.self';          // own password, own recovery codes, logout

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: [
    'reports.aggregate', 'reports.contact-level', 'export.aggregate', 'export.contact-level',
    'import', 'users.manage', 'audit.read', 'settings.manage', 'account.self',
  ],
  dispatcher: ['reports.aggregate', 'reports.contact-level', 'export.aggregate', 'export.contact-level', 'account.self'],
  marketer: ['reports.aggregate', 'export.aggregate', 'account.self'],
  leader: ['reports.aggregate', 'export.aggregate', 'account.self'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return GRANTS[role];
}

/** How a report is built: from single contacts (rows name or identify a seeker) or as aggregates. */
export type ReportLevel = 'aggregate' | 'contact-level';

/** Reports that are contact-level by nature: their purpose is to point at single seekers, so no amount of
 *  suppression makes them safe for an aggregate-only role. A registry entry with one of these names must
 *  declare level 'contact-level' (the registry's tests check it). */
export const CONTACT_LEVEL_REPORTS: readonly string[] = ['accountability', 'duplicates', 'match'];

/** What a role gets from a report: the rows as they are, the rows through small-count suppression, or 403. */
export type ReportAccess = 'full' | 'suppressed' | 'forbidden';

export function reportAccess(role: Role, report: { readonly name: string; readonly level: ReportLevel }): ReportAccess {
  const contactLevel = report.level === 'contact-level' || CONTACT_LEVEL_REPORTS.includes(report.name);
  if (dataScope(role) === 'contact-level') return 'full';
  return contactLevel ? 'forbidden' : 'suppressed';
}

/** The part of a report cache key that depends on who asks. The role itself, not its scope: if the grants
 *  of two roles ever diverge, a cached answer can't leak from one to the other. */
export function cacheKeyPart(role: Role): string {
  return `role=${role}`;
}
