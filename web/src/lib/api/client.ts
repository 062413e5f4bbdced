// The one place the web talks to the API. Dependencies (fetch, what to do on 401, the CSRF token)
// are passed in, so this file is plain TypeScript and tested without a browser.
import { ApiError, isAbort } from './errors';
import { importUrl, reportUrl, type QueryParams } from './urls';
import { isNumericType } from '../format/columns';
import type {
  Dimensions, ErrorBody, Health, ImportIssue, ImportProgress, ImportRecord, LoginRequest, Me, ReportCatalogueEntry, ReportColumn, ReportResult, ReportRow,
  SetupBegin, SetupComplete, SetupDone, SetupTicket, UserSummary,
} from './types';
import type { Role } from '../state/roles';
import { isRole } from '../state/roles';

export interface ApiDeps {
  fetch: typeof fetch;
  /** Called once per 401 on a data request (not on login or /me): the app sends the user to /login. */
  onUnauthorized: () => void;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * DuckDB's 64-bit and decimal numbers arrive as JSON strings; numeric columns are turned into
 * numbers here, once, so charts and sorting see numbers. Values that are not numbers (a
 * suppressed "<5") are left as they are.
 */
export function normaliseRows(columns: ReportColumn[], rows: ReportRow[]): ReportRow[] {
  const numeric = columns.filter((c) => isNumericType(c.type)).map((c) => c.name);
  if (!numeric.length) return rows;
  return rows.map((row) => {
    const copy: ReportRow = { ...row };
    for (const name of numeric) {
      const value = copy[name];
      if (typeof value === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim())) copy[name] = Number(value);
    }
    return copy;
  });
}

/**
 * Keeps only the parameters a report declares: the server refuses unknown ones (a typo must not
 * silently turn a filter off), and the global filter bar offers more than most reports take.
 */
export function paramsFor(entry: ReportCatalogueEntry, params: QueryParams): QueryParams {
  const declared = new Set(entry.params.map((p) => p.name));
  const out: QueryParams = {};
  for (const [key, value] of Object.entries(params)) if (declared.has(key)) out[key] = value;
  return out;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: Partial<ErrorBody> = {};
  try {
    body = (await response.json()) as Partial<ErrorBody>;
  } catch {
    // not JSON (a proxy's HTML page): the status says enough
  }
  const problems = Array.isArray(body.problems) ? body.problems.filter((p): p is string => typeof p === 'string') : [];
  return new ApiError(response.status, body.error ?? `http_${response.status}`, body.message ?? response.statusText ?? 'request failed', problems);
}

const userPath = (login: string, action: 'reset' | 'role' | 'disabled') => `/api/users/${encodeURIComponent(login)}/${action}`;

export function createApi(deps: ApiDeps) {
  let csrfToken: string | null = null;
  let catalogue: Promise<ReportCatalogueEntry[]> | null = null;
  let dimensions: Promise<Dimensions | null> | null = null;
  const inFlight = new Map<string, Promise<ReportResult>>();

  async function request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    init: { body?: BodyInit; json?: unknown; signal?: AbortSignal; redirectOn401?: boolean } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
    let response: Response;
    try {
      response = await deps.fetch(url, { method, headers, body, signal: init.signal, credentials: 'same-origin' });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError(0, 'network', error instanceof Error ? error.message : 'network error');
    }
    if (!response.ok) {
      const error = await errorFrom(response);
      if (response.status === 401 && init.redirectOn401 !== false) deps.onUnauthorized();
      throw error;
    }
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  function loadCatalogue(): Promise<ReportCatalogueEntry[]> {
    if (!catalogue) {
      catalogue = request<ReportCatalogueEntry[]>('GET', '/api/reports');
      // A failed catalogue is retried on the next request rather than cached.
      catalogue.catch(() => {
        catalogue = null;
      });
    }
    return catalogue;
  }

  async function catalogueEntry(name: string): Promise<ReportCatalogueEntry> {
    const entry = (await loadCatalogue()).find((r) => r.name === name);
    if (!entry) throw new ApiError(404, 'unknown_report', `"${name}"`);
    // The catalogue already says this role may not open it: no request that can only answer 403.
    if (entry.access === 'forbidden') throw new ApiError(403, 'forbidden', `report "${name}" is not open to this role`);
    return entry;
  }

  async function currentUser(): Promise<Me | null> {
    try {
      // Signed out is 401, or (so browsers log no failed request) 204 / 200 with null.
      const me = await request<Me | null | undefined>('GET', '/api/auth/me', { redirectOn401: false });
      if (!me || !me.login) return null;
      if (!isRole(me.role)) throw new ApiError(500, 'bad_role', `unknown role "${String(me.role)}"`);
      csrfToken = me.csrfToken ?? csrfToken;
      return me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  }

  return {
    /** The report list with each report's declared parameters (cached for the session). */
    catalogue: loadCatalogue,

    /** The URL a report request goes to, with only the declared parameters (for CSV links). */
    async reportUrl(name: string, params: QueryParams): Promise<string> {
      return reportUrl(name, paramsFor(await catalogueEntry(name), params));
    },

    /**
     * Runs a named report. Identical requests in flight are shared, so two charts reading the
     * same report make one request.
     */
    async report(name: string, params: QueryParams, options: RequestOptions = {}): Promise<ReportResult> {
      const url = reportUrl(name, paramsFor(await catalogueEntry(name), params));
      let pending = inFlight.get(url);
      if (!pending) {
        pending = request<ReportResult>('GET', url).then((result) => ({ ...result, rows: normaliseRows(result.columns, result.rows) }));
        inFlight.set(url, pending);
        const clear = () => inFlight.delete(url);
        pending.then(clear, clear);
      }
      if (!options.signal) return pending;
      const signal = options.signal;
      // The shared request keeps running for the others; this caller just stops waiting.
      return new Promise<ReportResult>((resolve, reject) => {
        const onAbort = () => reject(new DOMException('aborted', 'AbortError'));
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },

    health(options: RequestOptions = {}): Promise<Health> {
      return request<Health>('GET', '/api/health', { signal: options.signal, redirectOn401: false });
    },

    /** The signed-in user, or null when nobody is signed in. Remembers the CSRF token. */
    me: currentUser,

    async login(credentials: LoginRequest): Promise<Me> {
      const answer = await request<Partial<Me> | undefined>('POST', '/api/auth/login', { json: credentials, redirectOn401: false });
      if (answer?.csrfToken) csrfToken = answer.csrfToken;
      // The session cookie is set now; /me gives the role and a fresh CSRF token.
      const me = await currentUser();
      if (!me) throw new ApiError(401, 'unauthorized', 'signed in, but the session was not kept (are cookies blocked?)');
      return me;
    },

    async logout(): Promise<void> {
      try {
        await request<void>('POST', '/api/auth/logout', { redirectOn401: false });
      } finally {
        csrfToken = null;
        catalogue = null;
        dimensions = null;
      }
    },

    /**
     * Values for the filter bar's pickers (region names, languages, sources, campaigns). Optional
     * on the server: without it (404) the filter bar falls back to typed values.
     */
    dimensions(): Promise<Dimensions | null> {
      dimensions ??= request<Dimensions>('GET', '/api/dimensions', { redirectOn401: false }).catch((error: unknown) => {
        if (error instanceof ApiError && (error.status === 404 || error.status === 401 || error.status === 403)) return null;
        dimensions = null;
        throw error;
      });
      return dimensions;
    },

    importHistory(options: RequestOptions = {}): Promise<ImportRecord[]> {
      return request<ImportRecord[]>('GET', importUrl(), { signal: options.signal });
    },

    importProgress(attemptId: string, options: RequestOptions = {}): Promise<ImportProgress> {
      return request<ImportProgress>('GET', importUrl(attemptId), { signal: options.signal });
    },

    /** The rows an import rejected, the notes it could not parse and the files it skipped. */
    importIssues(attemptId: string, options: RequestOptions = {}): Promise<ImportIssue[]> {
      return request<ImportIssue[]>('GET', `${importUrl(attemptId)}/issues`, { signal: options.signal });
    },

    // Account setup from a one-time link: no session yet, so a 401 here is an answer, not a redirect.
    // The token travels in the request body only, never in a URL.
    setupBegin(token: string): Promise<SetupBegin> {
      return request<SetupBegin>('POST', '/api/auth/setup/begin', { json: { token }, redirectOn401: false });
    },

    setupComplete(body: SetupComplete): Promise<SetupDone> {
      return request<SetupDone>('POST', '/api/auth/setup/complete', { json: body, redirectOn401: false });
    },

    // Admin: accounts. Each answer that creates a setup link is shown once to the admin.
    users(options: RequestOptions = {}): Promise<UserSummary[]> {
      return request<UserSummary[]>('GET', '/api/users', { signal: options.signal });
    },

    createUser(login: string, role: Role): Promise<SetupTicket> {
      return request<SetupTicket>('POST', '/api/users', { json: { login, role } });
    },

    resetUser(login: string): Promise<SetupTicket> {
      return request<SetupTicket>('POST', userPath(login, 'reset'), { json: {} });
    },

    setRole(login: string, role: Role): Promise<{ sessionsRevoked: number }> {
      return request<{ sessionsRevoked: number }>('POST', userPath(login, 'role'), { json: { role } });
    },

    setDisabled(login: string, disabled: boolean): Promise<{ ok: boolean }> {
      return request<{ ok: boolean }>('POST', userPath(login, 'disabled'), { json: { disabled } });
    },

    /** Generic GET of a JSON list for the admin pages (users, audit log). */
    list<T = ReportRow>(url: `/api/${string}`, options: RequestOptions = {}): Promise<T[]> {
      return request<T[]>('GET', url, { signal: options.signal });
    },

    /** The CSRF header value for requests made outside fetch (the upload uses XHR for progress). */
    csrfToken(): string | null {
      return csrfToken;
    },

    /** Forget cached reports' catalogue (after an import changes the dataset). */
    invalidate(): void {
      catalogue = null;
      dimensions = null;
    },
  };
}

export type Api = ReturnType<typeof createApi>;
