// Which views each role sees and where it lands after signing in. The server enforces access on
// every request; this only decides what the navigation offers, so nobody is sent to a view that
// would answer 403.

export const ROLES = ['admin', 'dispatcher', 'marketer', 'leader'] as const;
export type Role = (typeof ROLES)[number];

export interface View {
  path: string;
  label: string;
  roles: readonly Role[];
  /** Views with report charts show the global filter bar. */
  filters: boolean;
  /**
   * The report the view exists to show. When the server's catalogue says the signed-in role may
   * not open it (access "forbidden"), the view is not offered: a page of 403s helps nobody.
   */
  report?: string;
}

/** Report names the server refuses to the signed-in role (from GET /api/reports). */
export type ForbiddenReports = ReadonlySet<string>;
const NONE: ForbiddenReports = new Set();

export const VIEWS: readonly View[] = [
  { path: '/queue', label: 'Queue', roles: ['dispatcher', 'admin'], filters: true },
  // Dispatchers pass what they see to marketers and leaders, so they may open those views too.
  { path: '/campaigns', label: 'Campaigns', roles: ['marketer', 'dispatcher', 'admin'], filters: true },
  { path: '/regions', label: 'Regions', roles: ['leader', 'dispatcher', 'admin'], filters: true },
  { path: '/trials', label: 'Trials', roles: ['dispatcher', 'leader', 'marketer', 'admin'], filters: false, report: 'trial' },
  { path: '/data', label: 'Data', roles: ['admin'], filters: false },
  { path: '/users', label: 'Users', roles: ['admin'], filters: false },
  { path: '/audit', label: 'Audit', roles: ['admin'], filters: false },
];

const LANDING: Record<Role, string> = {
  dispatcher: '/queue',
  marketer: '/campaigns',
  leader: '/regions',
  admin: '/data',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function offered(view: View, role: Role, forbidden: ForbiddenReports): boolean {
  return view.roles.includes(role) && !(view.report && forbidden.has(view.report));
}

export function viewsFor(role: Role, forbidden: ForbiddenReports = NONE): View[] {
  return VIEWS.filter((v) => offered(v, role, forbidden));
}

export function landingFor(role: Role): string {
  return LANDING[role];
}

/** The view a path belongs to ('/queue/x' belongs to '/queue'), or undefined. */
export function viewOf(pathname: string): View | undefined {
  return VIEWS.find((v) => pathname === v.path || pathname.startsWith(`${v.path}/`));
}

export function canOpen(role: Role, pathname: string, forbidden: ForbiddenReports = NONE): boolean {
  const view = viewOf(pathname);
  return view === undefined || offered(view, role, forbidden);
}

/**
 * A post-login destination taken from `?next=`: only a path on this site (no scheme, no
 * protocol-relative '//host', no backslash tricks), and only one the role may open.
 */
export function safeNext(next: string | null, role: Role, forbidden: ForbiddenReports = NONE): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\u0000-\u001f]/.test(next)) {
    return landingFor(role);
  }
  const pathname = next.split(/[?#]/)[0] ?? '';
  if (pathname === '/' || pathname.startsWith('/login') || !viewOf(pathname) || !canOpen(role, pathname, forbidden)) return landingFor(role);
  return next;
}
