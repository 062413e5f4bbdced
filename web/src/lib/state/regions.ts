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
