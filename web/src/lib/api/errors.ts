// One error type for everything the API can answer, so every chart's error state reads the same.

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server's machine-readable `error` (e.g. "bad_param"), or one of ours. */
    readonly code: string,
    message: string,
    /** Machine-readable reasons the server gave (e.g. the password policy's `problems`). */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException ? error.name === 'AbortError' : (error as { name?: string } | null)?.name === 'AbortError';
}

/** A sentence for a person: what went wrong and what to do about it. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    switch (error.status) {
      case 0:
        return 'The Handoff server could not be reached. Check that it is running, then try again.';
      case 400:
        return `The server refused these filters: ${error.message}`;
      case 401:
        return 'Your session has ended. Please sign in again.';
      case 403:
        return 'Your role does not give access to this information.';
      case 404:
        return error.code === 'unknown_report'
          ? `This report is not available on this server: ${error.message}`
          : 'Not found on this server.';
      case 413:
        return 'The upload is too large for this server.';
      case 429:
        return 'Too many requests. Wait a moment and try again.';
      default:
        return error.status >= 500 ? `The server failed to answer (${error.status}). ${error.message}` : error.message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
