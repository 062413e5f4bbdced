// URL builders for the API, pure so they can be tested and so a CSV link is the same request the
// chart made, with format=csv.

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

function search(params: QueryParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

const REPORT_NAME = /^[a-z][a-z0-9_]*$/;

export function reportUrl(name: string, params: QueryParams = {}): string {
  if (!REPORT_NAME.test(name)) throw new Error(`not a report name: ${name}`);
  return `/api/reports/${name}${search(params)}`;
}

/** The server's own CSV of a report (every column it returns, for the same parameters). */
export function reportCsvUrl(name: string, params: QueryParams = {}): string {
  const { format: _ignored, ...rest } = params;
  return reportUrl(name, { ...rest, format: 'csv' });
}

export function importUrl(attemptId?: string): string {
  return attemptId === undefined ? '/api/imports' : `/api/imports/${encodeURIComponent(attemptId)}`;
}
