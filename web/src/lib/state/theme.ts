// Light/dark: the system decides until the user picks one; the pick is remembered in localStorage.

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];
export type Theme = 'light' | 'dark';

export const THEME_STORAGE_KEY = 'handoff.theme';

export function parsePreference(stored: string | null | undefined): ThemePreference {
  return (THEME_PREFERENCES as readonly string[]).includes(stored ?? '') ? (stored as ThemePreference) : 'system';
}

export function resolveTheme(preference: ThemePreference, systemPrefersDark: boolean): Theme {
  if (preference === 'system') return systemPrefersDark ? 'dark' : 'light';
  return preference;
}

/** The toggle cycles system → the opposite of what the system shows → the system's own → system. */
export function nextPreference(preference: ThemePreference, systemPrefersDark: boolean): ThemePreference {
  const system: Theme = systemPrefersDark ? 'dark' : 'light';
  const other: Theme = systemPrefersDark ? 'light' : 'dark';
  if (preference === 'system') return other;
  if (preference === other) return system;
  return 'system';
}
