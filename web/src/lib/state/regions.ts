// Region picker entries: the location grid as an indented list (country → admin1 → admin2 →
// city), so a region is chosen by name while the URL keeps its stable grid id.
import type { RegionOption } from '../api/types';

export interface RegionChoice {
  id: string;
  label: string;
  depth: number;
}

export function regionChoices(regions: readonly RegionOption[]): RegionChoice[] {
  const byParent = new Map<string, RegionOption[]>();
  const ids = new Set(regions.map((r) => String(r.id)));
  for (const region of regions) {
    const parent = region.parent_id !== null && region.parent_id !== undefined && ids.has(String(region.parent_id)) ? String(region.parent_id) : '';
    const list = byParent.get(parent) ?? [];
    list.push(region);
    byParent.set(parent, list);
  }
  const out: RegionChoice[] = [];
  const seen = new Set<string>();
  const walk = (parent: string, depth: number) => {
    const children = [...(byParent.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      const id = String(child.id);
      if (seen.has(id)) continue; // a cycle in bad data must not hang the page
      seen.add(id);
      out.push({ id, label: `${'\u2003'.repeat(depth)}${child.name}`, depth });
      walk(id, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

/** The deepest level of the location grid (0 country, 1 admin1, 2 admin2, 3 city). */
export const DEEPEST_LEVEL = 3;

/**
 * The level to break a report down by when a region is chosen: one below it, so choosing a
 * country shows its provinces rather than one bar for the country. Undefined when no region is
 * chosen, its level is unknown, or it is already the deepest.
 */
export function drillLevel(regionId: string | null | undefined, regions: readonly RegionOption[] | null | undefined): string | undefined {
  if (!regionId || !regions) return undefined;
  const level = regions.find((r) => String(r.id) === regionId)?.level;
  return typeof level === 'number' && level >= 0 && level < DEEPEST_LEVEL ? String(level + 1) : undefined;
}
