// Who is signed in and what the server says about the dataset, shared by every view.
import { api, whenSignedOut } from '../api/index';
import type { Health, Me } from '../api/types';
import { localIsoDate } from './dates';

class Session {
  me = $state.raw<Me | null>(null);
  health = $state.raw<Health | null>(null);
  /** True once /api/auth/me has answered (signed in or not). */
  checked = $state(false);
  /** Reports the server refuses to this role: views built on them are not offered. */
  forbiddenReports = $state.raw<ReadonlySet<string>>(new Set());
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
      if (me) await this.#loadAccess();
      this.me = me;
      this.health = health;
    } catch (error) {
      this.error = error;
    } finally {
      this.checked = true;
    }
  }

  /** After the login form: what the role may open, then the user (so the navigation never shows a view it will lose). */
  async signedIn(me: Me): Promise<void> {
    await this.#loadAccess();
    this.me = me;
    this.checked = true;
    this.error = null;
    void this.refreshHealth();
  }

  async #loadAccess(): Promise<void> {
    try {
      const catalogue = await api.catalogue();
      this.forbiddenReports = new Set(catalogue.filter((r) => r.access === 'forbidden').map((r) => r.name));
    } catch {
      // Without the catalogue every view is offered; the server still refuses what it refuses.
      this.forbiddenReports = new Set();
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
      this.forbiddenReports = new Set();
    }
  }
}

export const session = new Session();
