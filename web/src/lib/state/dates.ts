// Calendar dates as ISO strings (YYYY-MM-DD). Arithmetic runs in UTC so a window never shifts by a
// day when the clock changes; "today" is the user's local calendar day.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The local calendar day of `now` as YYYY-MM-DD. */
export function localIsoDate(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included: a one-day window has length 1. */
export function windowLengthDays(from: string, to: string): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`);
  return Math.round(ms / 86_400_000) + 1;
}

export interface DateWindow {
  from: string;
  to: string;
}

/** The window of equal length that ends the day before `window` starts (what compare=previous means). */
export function previousWindow(window: DateWindow): DateWindow {
  const length = windowLengthDays(window.from, window.to);
  return { from: addDays(window.from, -length), to: addDays(window.from, -1) };
}
