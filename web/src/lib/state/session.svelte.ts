// Who is signed in and what the server says about the dataset, shared by every view.
import { api, whenSignedOut } from '../api/index';
import type { Health, Me } from '../api/types';
import { localIsoDate } from './dates';

class Session {
  me = $state.raw<Me | null>(null);
  health = $state.raw<Health | null>(null);
  /** True once /api/auth/me has answered (signed in or not). */
  checked = $state(false);
  error = $state.raw<unknown>(null);

  constructor() {
    // A 401 on any request (the session expired or was revoked) forgets the user, so the layout
    // does not bounce them straight back from the login page.
    whenSignedOut(() => {
      this.me = null;
    });
  }

  /** Default windows end here: the dataset's as-of date when the server gives it, else today. */
  get referenceDate(): string {
    return this.health?.asOf ?? localIsoDate();
  }

  get datasetVersion(): number | null {
    return this.health?.datasetVersion ?? null;
  }

  async load(): Promise<void> {
    this.error = null;
    try {
      const [me, health] = await Promise.all([api.me(), api.health().catch(() => null)]);
      this.me = me;
      this.health = health;
    } catch (error) {
      this.error = error;
    } finally {
      this.checked = true;
    }
  }

  async refreshHealth(): Promise<void> {
    this.health = await api.health().catch(() => this.health);
  }

  async signOut(): Promise<void> {
    try {
      await api.logout();
    } finally {
      this.me = null;
    }
  }
}

export const session = new Session();
