// Uploading import files and watching the import run. fetch cannot report upload progress, so the
// upload goes through XMLHttpRequest (passed in, like everything else here, for tests).
import { ApiError } from './errors';
import type { ErrorBody, ImportProgress } from './types';

/** States after which the server will not change the attempt any more. */
const FINISHED = new Set(['ok', 'done', 'succeeded', 'completed', 'refused', 'failed', 'error']);
const SUCCEEDED = new Set(['ok', 'done', 'succeeded', 'completed']);

export function isFinished(progress: ImportProgress): boolean {
  return FINISHED.has(progress.state);
}

export function isSuccess(progress: ImportProgress): boolean {
  return SUCCEEDED.has(progress.state);
}

/**
 * One bar for the whole job: sending the files is the first 30 %, the server's import the rest
 * (parsing and loading, not the network, is what takes time on a big export).
 */
export const UPLOAD_SHARE = 0.3;
export function overallProgress(phase: 'upload' | 'import', fraction: number): number {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return phase === 'upload' ? f * UPLOAD_SHARE : UPLOAD_SHARE + f * (1 - UPLOAD_SHARE);
}

export interface ProgressLike {
  loaded: number;
  total: number;
  lengthComputable: boolean;
}

/** The part of XMLHttpRequest the upload uses (method signatures, so the real one fits). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  addEventListener(type: 'load' | 'error' | 'abort', listener: () => void): void;
  readonly upload: { addEventListener(type: 'progress', listener: (event: ProgressLike) => void): void };
  readonly status: number;
  readonly responseText: string;
}

export interface UploadOptions {
  makeXhr: () => XhrLike;
  csrfToken: string | null;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  url?: string;
}

/** POST /api/imports (multipart, every file under the field "files") → { attemptId }. */
export function uploadFiles(files: readonly File[], options: UploadOptions): Promise<{ attemptId: string }> {
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = options.makeXhr();
    xhr.open('POST', options.url ?? '/api/imports');
    xhr.setRequestHeader('accept', 'application/json');
    if (options.csrfToken) xhr.setRequestHeader('x-csrf-token', options.csrfToken);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      let body: Partial<ErrorBody> & { attemptId?: string } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // fall through with an empty body
      }
      if (xhr.status >= 200 && xhr.status < 300 && typeof body.attemptId === 'string') {
        options.onProgress?.(1);
        resolve({ attemptId: body.attemptId });
      } else {
        reject(new ApiError(xhr.status, body.error ?? `http_${xhr.status}`, body.message ?? 'the upload was refused'));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'the upload could not reach the server')));
    xhr.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

export interface WatchOptions {
  onProgress?: (progress: ImportProgress) => void;
  sleep?: (ms: number) => Promise<void>;
  intervalMs?: number;
  signal?: AbortSignal;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls an import attempt until it finishes; resolves with its last state. */
export async function watchImport(
  getProgress: (attemptId: string, options: { signal?: AbortSignal }) => Promise<ImportProgress>,
  attemptId: string,
  options: WatchOptions = {},
): Promise<ImportProgress> {
  const sleep = options.sleep ?? defaultSleep;
  for (;;) {
    if (options.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const progress = await getProgress(attemptId, { signal: options.signal });
    options.onProgress?.(progress);
    if (isFinished(progress)) return progress;
    await sleep(options.intervalMs ?? 500);
  }
}
