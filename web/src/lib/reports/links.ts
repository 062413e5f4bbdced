// Links out of Handoff: a contact row opens the contact in Disciple.Tools when the site URL is known.

const CONTACT_COLUMNS = /(^|_)contact_id(_[a-z])?$/;

/** https://dt.example.org + 123 → https://dt.example.org/contacts/123; null if anything is off. */
export function contactUrl(siteUrl: string | null | undefined, contactId: unknown): string | null {
  if (!siteUrl || contactId === null || contactId === undefined || contactId === '') return null;
  let base: URL;
  try {
    base = new URL(siteUrl);
  } catch {
    return null;
  }
  // Only web links: a javascript: or data: "site URL" must never become a link.
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return null;
  const id = String(contactId);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}/contacts/${id}`;
}

export function isContactColumn(key: string): boolean {
  return CONTACT_COLUMNS.test(key);
}

/** The current query with one key changed (for in-app links such as "match this contact"). */
export function withParam(search: URLSearchParams, key: string, value: string | null): string {
  const next = new URLSearchParams(search);
  if (value === null) next.delete(key);
  else next.set(key, value);
  const text = next.toString();
  return text ? `?${text}` : '';
}
