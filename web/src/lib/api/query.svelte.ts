// A request as reactive state: loading → ready | error, re-run when its inputs change, cancelled
// when they change again or the component goes away. ChartFrame renders these states, so a chart
// component only ever receives ready data.
import { isAbort } from './errors';
import { api } from './index';
import type { QueryParams } from './urls';
import type { ReportResult } from './types';

export type QueryStatus = 'idle' | 'loading' | 'ready' | 'error';

/** Returned by a request function whose inputs come from another request still loading. */
export const WAIT = Symbol('wait');

export interface QueryRequest<T> {
  /** Identifies the request: the same key is not fetched again. */
  key: string;
  load: (signal: AbortSignal) => Promise<T>;
}

export class Query<T> {
  status = $state<QueryStatus>('idle');
  /** The last good answer; kept while a new one loads, so charts do not flash empty. */
  data = $state.raw<T | null>(null);
  error = $state.raw<unknown>(null);
  #attempt = $state(0);

  /**
   * `request` is read reactively; return null when the inputs are not complete (idle: the person
   * has something to choose), or WAIT while another request this one depends on is loading.
   */
  constructor(request: () => QueryRequest<T> | null | typeof WAIT) {
    let lastKey: string | null = null;
    let lastAttempt = -1;
    let current: AbortController | null = null;
    // Not aborted from the tracking effect's teardown: that runs whenever an input is re-read,
    // even when the request key stays the same, and would strand the request in 'loading'.
    $effect(() => () => current?.abort());
    $effect(() => {
      const next = request();
      const attempt = this.#attempt;
      if (next === WAIT) {
        current?.abort();
        current = null;
        lastKey = null;
        this.status = 'loading';
        this.error = null;
        return;
      }
      if (!next) {
        current?.abort();
        current = null;
        lastKey = null;
        this.status = 'idle';
        this.data = null;
        this.error = null;
        return;
      }
      if (next.key === lastKey && attempt === lastAttempt) return;
      lastKey = next.key;
      lastAttempt = attempt;
      current?.abort();
      const controller = new AbortController();
      current = controller;
      this.status = 'loading';
      this.error = null;
      next.load(controller.signal).then(
        (value) => {
          if (controller.signal.aborted) return;
          this.data = value;
          this.status = 'ready';
        },
        (error: unknown) => {
          if (controller.signal.aborted || isAbort(error)) return;
          this.error = error;
          this.status = 'error';
        },
      );
    });
  }

  retry = (): void => {
    this.#attempt += 1;
  };
}

/** A named report with parameters read reactively (usually the URL's filter state). */
export function reportQuery(name: string, params: () => QueryParams | null | typeof WAIT): Query<ReportResult> {
  return new Query<ReportResult>(() => {
    const p = params();
    if (p === WAIT) return WAIT;
    if (!p) return null;
    return {
      key: `${name}?${JSON.stringify(Object.entries(p).sort(([a], [b]) => a.localeCompare(b)))}`,
      load: (signal) => api.report(name, p, { signal }),
    };
  });
}
