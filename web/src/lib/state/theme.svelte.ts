// The light/dark state: follows the system until the user picks, and sets data-theme on <html>
// so the CSS variables (app.css) and the charts (via the echarts action) switch together.
import { nextPreference, parsePreference, resolveTheme, THEME_STORAGE_KEY, type Theme, type ThemePreference } from './theme';

class ThemeState {
  preference = $state<ThemePreference>('system');
  systemDark = $state(false);

  get current(): Theme {
    return resolveTheme(this.preference, this.systemDark);
  }

  /** Call once from the root layout. */
  start(): () => void {
    const media = matchMedia('(prefers-color-scheme: dark)');
    this.systemDark = media.matches;
    try {
      this.preference = parsePreference(localStorage.getItem(THEME_STORAGE_KEY));
    } catch {
      this.preference = 'system';
    }
    const onChange = (event: MediaQueryListEvent) => {
      this.systemDark = event.matches;
    };
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }

  toggle(): void {
    this.preference = nextPreference(this.preference, this.systemDark);
    try {
      if (this.preference === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, this.preference);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
  }
}

export const theme = new ThemeState();
