import { describe, expect, it, vi } from 'vitest';
import { createApi, normaliseRows, paramsFor } from './client';
import { ApiError, describeError } from './errors';
import { isFinished, overallProgress, uploadFiles, watchImport, type XhrLike } from './imports';
import { reportCsvUrl, reportUrl } from './urls';
import type { ReportCatalogueEntry } from './types';

const funnel: ReportCatalogueEntry = {
  name: 'funnel',
  title: 'Seeker-path funnel',
  description: '',
  params: ['from', 'to', 'region', 'language', 'gender', 'source', 'campaign'].map((name) => ({ name, type: 'string', default: null, description: '' })),
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function fakeServer(routes: Record<string, () => Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const path = String(url).split('?')[0]!;
    const route = routes[`${init.method ?? 'GET'} ${path}`];
    return route ? route() : json({ error: 'not_found', message: 'no route' }, 404);
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

describe('urls', () => {
  it.each([
    ['funnel', {}, '/api/reports/funnel'],
    ['demand', { from: '2026-01-01', grain: 'week', region: null, compare: undefined }, '/api/reports/demand?from=2026-01-01&grain=week'],
    ['match', { contact_id: 'a b&c' }, '/api/reports/match?contact_id=a+b%26c'],
  ])('reportUrl(%s, %j)', (name, params, url) => {
    expect(reportUrl(name, params)).toBe(url);
  });

  it('builds the CSV url of the same request', () => {
    expect(reportCsvUrl('demand', { from: '2026-01-01', format: 'json' })).toBe('/api/reports/demand?from=2026-01-01&format=csv');
  });

  it('refuses anything that is not a report name', () => {
    expect(() => reportUrl('../auth/me')).toThrow();
  });
});

describe('report rows and params', () => {
  it('turns DuckDB numbers sent as strings into numbers, and leaves the rest', () => {
    const rows = normaliseRows(
      [{ name: 'city', type: 'VARCHAR' }, { name: 'contacts', type: 'BIGINT' }, { name: 'rate', type: 'DECIMAL(5,2)' }],
      [{ city: '12', contacts: '40', rate: '0.25' }, { city: 'Amman', contacts: '<5', rate: null }],
    );
    expect(rows).toEqual([{ city: '12', contacts: 40, rate: 0.25 }, { city: 'Amman', contacts: '<5', rate: null }]);
  });

  it('sends only the parameters a report declares', () => {
    expect(paramsFor(funnel, { from: '2026-01-01', grain: 'week', compare: 'previous', gender: 'male' })).toEqual({ from: '2026-01-01', gender: 'male' });
  });
});

describe('createApi', () => {
  it('runs a report with its declared params, shares identical requests, and normalises rows', async () => {
    const server = fakeServer({
      'GET /api/reports': () => json([funnel]),
      'GET /api/reports/funnel': () => json({ report: 'funnel', params: {}, datasetVersion: 3, columns: [{ name: 'reached', type: 'BIGINT' }], rows: [{ reached: '7' }] }),
    });
    const api = createApi({ fetch: server.fetch, onUnauthorized: vi.fn() });
    const [a, b] = await Promise.all([
      api.report('funnel', { from: '2026-01-01', grain: 'month' }),
      api.report('funnel', { from: '2026-01-01', grain: 'month' }),
    ]);
    expect(a.rows).toEqual([{ reached: 7 }]);
    expect(b).toEqual(a);
    expect(server.calls.map((c) => c.url)).toEqual(['/api/reports', '/api/reports/funnel?from=2026-01-01']);
  });

  it('sends the user to sign in on 401 and throws a typed error', async () => {
    const onUnauthorized = vi.fn();
    const server = fakeServer({ 'GET /api/reports': () => json({ error: 'unauthorized', message: 'sign in' }, 401) });
    const api = createApi({ fetch: server.fetch, onUnauthorized });
    const error = await api.report('funnel', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('reports an unknown report without asking the server for it', async () => {
    const server = fakeServer({ 'GET /api/reports': () => json([funnel]) });
    const api = createApi({ fetch: server.fetch, onUnauthorized: vi.fn() });
    const error = (await api.report('nope', {}).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('unknown_report');
    expect(server.calls).toHaveLength(1);
  });

  it('does not ask for a report the catalogue marks forbidden for this role', async () => {
    const server = fakeServer({ 'GET /api/reports': () => json([{ ...funnel, access: 'forbidden' }]) });
    const api = createApi({ fetch: server.fetch, onUnauthorized: vi.fn() });
    const error = (await api.report('funnel', {}).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(403);
    expect(server.calls).toHaveLength(1);
  });

  it('passes the server’s 400 message through', async () => {
    const server = fakeServer({
      'GET /api/reports': () => json([funnel]),
      'GET /api/reports/funnel': () => json({ error: 'bad_param', message: 'parameter "from" must be a date' }, 400),
    });
    const api = createApi({ fetch: server.fetch, onUnauthorized: vi.fn() });
    const error = (await api.report('funnel', {}).catch((e: unknown) => e)) as ApiError;
    expect([error.status, error.code, error.message]).toEqual([400, 'bad_param', 'parameter "from" must be a date']);
    expect(describeError(error)).toContain('parameter "from" must be a date');
  });

  it('turns a network failure into status 0', async () => {
    const api = createApi({ fetch: (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch, onUnauthorized: vi.fn() });
    const error = (await api.health().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
    expect(describeError(error)).toMatch(/could not be reached/);
  });

  it('treats 401 on /me as "not signed in", keeps the CSRF token and sends it on POST', async () => {
    let signedIn = false;
    const server = fakeServer({
      'GET /api/auth/me': () => (signedIn ? json({ login: 'amal', role: 'dispatcher', csrfToken: 't0k3n' }) : json({ error: 'unauthorized', message: '' }, 401)),
      'POST /api/auth/login': () => {
        signedIn = true;
        return json({ ok: true });
      },
      'POST /api/auth/logout': () => new Response(null, { status: 204 }),
    });
    const onUnauthorized = vi.fn();
    const api = createApi({ fetch: server.fetch, onUnauthorized });
    expect(await api.me()).toBeNull();
    const me = await api.login({ login: 'amal', password: 'pw', totp: '123456' });
    expect(me.role).toBe('dispatcher');
    await api.logout();
    const logout = server.calls.find((c) => c.url === '/api/auth/logout')!;
    expect((logout.init.headers as Record<string, string>)['x-csrf-token']).toBe('t0k3n');
    expect(api.csrfToken()).toBeNull();
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it.each([
    ['204', () => new Response(null, { status: 204 })],
    ['200 null', () => json(null)],
  ])('treats %s from /me as signed out', async (_name, answer) => {
    const server = fakeServer({ 'GET /api/auth/me': answer });
    const api = createApi({ fetch: server.fetch, onUnauthorized: vi.fn() });
    expect(await api.me()).toBeNull();
  });

  it('refuses a role it does not know', async () => {
    const server = fakeServer({ 'GET /api/auth/me': () => json({ login: 'x', role: 'root' }) });
    const api = createApi({ fetch: server.fetch, onUnauthorized: vi.fn() });
    await expect(api.me()).rejects.toThrow(/unknown role/);
  });

  it('lets one caller stop waiting without cancelling the shared request', async () => {
    const server = fakeServer({
      'GET /api/reports': () => json([funnel]),
      'GET /api/reports/funnel': () => json({ report: 'funnel', params: {}, datasetVersion: 1, columns: [], rows: [] }),
    });
    const api = createApi({ fetch: server.fetch, onUnauthorized: vi.fn() });
    const controller = new AbortController();
    const first = api.report('funnel', {}, { signal: controller.signal });
    const second = api.report('funnel', {});
    controller.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await expect(second).resolves.toMatchObject({ report: 'funnel' });
  });
});

describe('imports', () => {
  function fakeXhr(status: number, body: unknown) {
    const sent: { headers: Record<string, string>; form?: FormData } = { headers: {} };
    const listeners: Record<string, () => void> = {};
    let onProgress: ((event: { loaded: number; total: number; lengthComputable: boolean }) => void) | null = null;
    const xhr: XhrLike & { status: number; responseText: string } = {
      open: () => {},
      setRequestHeader: (name, value) => { sent.headers[name] = value; },
      send(form) {
        sent.form = form;
        queueMicrotask(() => {
          onProgress?.({ loaded: 50, total: 100, lengthComputable: true });
          xhr.status = status;
          xhr.responseText = JSON.stringify(body);
          listeners.load?.();
        });
      },
      abort: () => listeners.abort?.(),
      addEventListener: (type, listener) => { listeners[type] = listener; },
      upload: { addEventListener: (_type, listener) => { onProgress = listener; } },
      status: 0,
      responseText: '',
    };
    return { xhr, sent };
  }

  it('uploads every file under "files" with the CSRF header and reports progress', async () => {
    const { xhr, sent } = fakeXhr(202, { attemptId: 'a1' });
    const progress: number[] = [];
    const files = [new File(['x'], 'contacts.json'), new File(['y'], 'users.json')];
    const result = await uploadFiles(files, { makeXhr: () => xhr, csrfToken: 'tok', onProgress: (f) => progress.push(f) });
    expect(result).toEqual({ attemptId: 'a1' });
    expect(sent.headers['x-csrf-token']).toBe('tok');
    expect((sent.form!.getAll('files') as File[]).map((f) => f.name)).toEqual(['contacts.json', 'users.json']);
    expect(progress).toEqual([0.5, 1]);
  });

  it('turns a refused upload into an ApiError', async () => {
    const { xhr } = fakeXhr(403, { error: 'forbidden', message: 'admins only' });
    await expect(uploadFiles([new File(['x'], 'a.csv')], { makeXhr: () => xhr, csrfToken: null })).rejects.toMatchObject({ status: 403, message: 'admins only' });
  });

  it('polls until the import finishes', async () => {
    const states = [
      { state: 'queued', progress: 0 },
      { state: 'running', progress: 0.5, message: 'contacts' },
      { state: 'ok', progress: 1, message: 'version 4' },
    ];
    const seen: string[] = [];
    const last = await watchImport(async () => states.shift()!, 'a1', { sleep: async () => {}, onProgress: (p) => seen.push(p.state) });
    expect(seen).toEqual(['queued', 'running', 'ok']);
    expect(last.message).toBe('version 4');
    expect(isFinished({ state: 'failed', progress: 0.2 })).toBe(true);
  });

  it.each([
    ['upload', 0, 0], ['upload', 1, 0.3], ['import', 0, 0.3], ['import', 0.5, 0.65], ['import', 2, 1], ['upload', Number.NaN, 0],
  ] as const)('overall progress %s %d = %d', (phase, fraction, expected) => {
    expect(overallProgress(phase, fraction)).toBeCloseTo(expected);
  });
});
