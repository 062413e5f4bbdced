// The browser tests' harness: the real server started as a user starts it (`node scripts/start.mjs`
// on a fresh database, which loads the committed demo), Debian's Chromium through playwright-core,
// pages that fail the test on any console error or any request to another host, an authenticator
// that never reuses a TOTP time step, and waits on the page's own readiness signals (never sleeps).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { totpCodeAt } from '../../server/core/auth/index.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = path.join(REPO, 'tests', 'e2e', 'screenshots');
export const VIEWPORT = { width: 1280, height: 800 };

// ---------------------------------------------------------------------------------------------
// The server

export interface RunningServer {
  /** As printed: http://localhost:<port> */
  url: string;
  /** The first admin's one-time link, as printed. */
  setupLink: string;
  dir: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startServer(timeoutMs = 120_000): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HANDOFF_DB: path.join(dir, 'handoff.duckdb'), PORT: '0', HOST: '127.0.0.1' };
  delete env.HANDOFF_NO_DEMO;
  delete env.HANDOFF_LOG;
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO, 'scripts', 'start.mjs')], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const started = Date.now();
  for (;;) {
    const url = /Handoff is serving (http:\/\/\S+?) /.exec(out)?.[1];
    const setupLink = /(http:\/\/\S+\/setup#token=[A-Za-z0-9_-]+)/.exec(out)?.[1];
    if (url && setupLink) return { url, setupLink, dir, output: () => out, stop };
    if (child.exitCode !== null || Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`the server did not start (exit ${child.exitCode}):\n${out}`);
    }
    await Promise.race([new Promise((resolve) => child.stdout!.once('data', resolve)), exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
}

// ---------------------------------------------------------------------------------------------
// The browser

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** One person's browser: own cookies, a laptop screen, a fixed locale so numbers read the same. */
export function newPerson(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light', acceptDownloads: true, reducedMotion: 'reduce' });
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A page that records every console error, uncaught exception and request to a non-local host. */
export interface WatchedPage {
  page: Page;
  problems: string[];
  /**
   * Runs `steps` during which a refused request to `url` is the expected answer (a weak password
   * gets 400): the browser logs such a response as a console error, which is allowed only here.
   */
  expectRefusal<T>(url: RegExp, steps: () => Promise<T>): Promise<T>;
}

export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const problems: string[] = [];
  const expected: RegExp[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const source = message.location().url;
    if (/^Failed to load resource/.test(message.text()) && expected.some((url) => url.test(source))) return;
    problems.push(`console error on ${page.url()}: ${message.text()}${source ? ` (${source})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught on ${page.url()}: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!LOCAL_HOSTS.has(url.hostname)) problems.push(`request to a non-local host: ${request.method()} ${request.url()}`);
  });
  const expectRefusal = async <T>(url: RegExp, steps: () => Promise<T>): Promise<T> => {
    expected.push(url);
    try {
      return await steps();
    } finally {
      expected.splice(expected.indexOf(url), 1);
    }
  };
  return { page, problems, expectRefusal };
}

// ---------------------------------------------------------------------------------------------
// Two-factor codes

/**
 * An authenticator app that remembers which 30-second steps it has used: the server accepts each
 * step once per user (and one step of drift either way), so the code after setup is the next step's.
 */
export class Authenticator {
  #lastStep = -Infinity;
  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    const nowStep = Math.floor(Date.now() / 30_000);
    const step = Math.max(nowStep, this.#lastStep + 1);
    // More than one step ahead would be refused: wait for the clock (rare: a third sign-in in 30 s).
    while (step > Math.floor(Date.now() / 30_000) + 1) await new Promise((resolve) => setTimeout(resolve, 250));
    this.#lastStep = step;
    return totpCodeAt(this.secret, step * 30_000 + 1_000);
  }
}

// ---------------------------------------------------------------------------------------------
// Waiting on the page's signals

export interface ViewState {
  frames: { title: string; state: string }[];
  charts: { label: string; ready: string }[];
}

/**
 * Waits until every chart frame has settled (ready, empty or idle) and every chart has drawn
 * (`data-chart-ready="true"`). A frame or chart in error fails at once with its title.
 */
export async function waitForView(page: Page, timeout = 60_000): Promise<ViewState> {
  const handle = await page.waitForFunction(() => {
    const frames = [...document.querySelectorAll<HTMLElement>('[data-frame-state]')].map((f) => ({
      title: f.querySelector('h2')?.textContent?.trim() ?? '?',
      state: f.dataset.frameState ?? '?',
      message: f.querySelector('[role=alert]')?.textContent?.trim() ?? '',
    }));
    const charts = [...document.querySelectorAll<HTMLElement>('[data-chart-ready]')].map((c) => ({ label: c.getAttribute('aria-label') ?? '?', ready: c.dataset.chartReady ?? '?' }));
    const failed = frames.filter((f) => f.state === 'error').map((f) => `${f.title}: ${f.message}`).concat(charts.filter((c) => c.ready === 'error').map((c) => `chart ${c.label}`));
    if (failed.length) return { failed };
    if (document.querySelector('main [role=status]')?.textContent?.includes('Loading')) return false;
    if (frames.length === 0) return false;
    if (frames.some((f) => f.state === 'loading' || f.state === 'refreshing')) return false;
    if (charts.some((c) => c.ready !== 'true')) return false;
    return { frames: frames.map(({ title, state }) => ({ title, state })), charts };
  }, undefined, { timeout, polling: 50 });
  const value = (await handle.jsonValue()) as ViewState | { failed: string[] };
  if ('failed' in value) throw new Error(`a frame failed on ${page.url()}:\n${value.failed.join('\n')}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Reading what the page shows

export interface ShownTable {
  columns: string[];
  rows: Record<string, { text: string; meaning: string }>[];
}

/** The DataTable inside the frame (or section) whose heading is exactly `title`. */
export async function readTable(page: Page, title: string): Promise<ShownTable> {
  return page.evaluate((wanted) => {
    const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent?.trim() === wanted);
    const box = heading?.closest('section');
    const table = box?.querySelector('table');
    if (!table) throw new Error(`no table under "${wanted}"`);
    const columns = [...table.querySelectorAll('thead th[data-column]')].map((th) => th.getAttribute('data-column')!);
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('td[data-column]')].map((td) => [td.getAttribute('data-column')!, { text: td.textContent?.trim() ?? '', meaning: td.getAttribute('data-meaning') ?? '' }])));
    return { columns, rows };
  }, title);
}

/** GET a JSON API from inside the page, with the page's own cookies. */
export async function apiGet<T = unknown>(page: Page, url: string): Promise<T> {
  const answer = await page.evaluate(async (u) => {
    const response = await fetch(u, { headers: { accept: 'application/json' } });
    return { status: response.status, body: await response.text() };
  }, url);
  if (answer.status !== 200) throw new Error(`GET ${url}: ${answer.status} ${answer.body}`);
  return JSON.parse(answer.body) as T;
}

export async function apiText(page: Page, url: string): Promise<string> {
  return page.evaluate(async (u) => (await fetch(u)).text(), url);
}

/** A full-page screenshot at 1280 wide, and whether anything made the page scroll sideways. */
export async function screenshot(page: Page, name: string): Promise<{ horizontalOverflow: number }> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const horizontalOverflow = await page.evaluate(() => {
    // body hides horizontal overflow, so measure what sticks out instead of the scrollbar.
    const width = document.documentElement.clientWidth;
    let worst = 0;
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || el.closest('.scroll')) continue;
      worst = Math.max(worst, box.right - width);
    }
    return Math.round(worst);
  });
  return { horizontalOverflow };
}

/** Minimal RFC 4180 reader for the CSV files compared in the tests. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const src = text.replace(/^\ufeff/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** The default window: the 90 days ending on the dataset's as-of date (computed here, not by the page). */
export function defaultWindow(asOf: string, days = 90): { from: string; to: string } {
  const end = new Date(`${asOf}T00:00:00Z`);
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { from: start.toISOString().slice(0, 10), to: asOf };
}
