// The app's API client: the plain client wired to the browser. On a 401 from any data request
// the user is sent to /login, coming back to the same view afterwards.
import { goto } from '$app/navigation';
import { createApi } from './client';

const signedOutListeners = new Set<() => void>();

/** Called when the server says the session is gone (the session state forgets the user). */
export function whenSignedOut(listener: () => void): void {
  signedOutListeners.add(listener);
}

function toLogin(): void {
  for (const listener of signedOutListeners) listener();
  const here = `${location.pathname}${location.search}`;
  if (location.pathname.startsWith('/login')) return;
  void goto(`/login?next=${encodeURIComponent(here)}`, { replaceState: true });
}

export const api = createApi({ fetch: (input, init) => fetch(input, init), onUnauthorized: toLogin });

export { ApiError, describeError } from './errors';
export type * from './types';
