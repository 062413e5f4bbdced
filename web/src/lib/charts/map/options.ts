// Demand and supply per region as bubbles placed by the location grid's longitude/latitude. No
// tiles or boundaries are fetched from anywhere: positions come from the data, and the plot keeps
// one degree of latitude as long as one degree of longitude at the region's mean latitude
// (an equirectangular projection), so the shape of the country is recognisable.
import type { EChartsOption } from 'echarts';
import { formatValue } from '../../format/format';
import { BASE, TOOLTIP, paletteOf, type ChartSpec } from '../common';

export interface MapPoint {
  id: string;
  name: string;
  longitude: number;
  latitude: number;
  /** Contacts in the window. */
  demand: number | null;
  /** Free capacity of multipliers serving the area (null = unknown, 0 = nobody free or nobody there). */
  supply: number | null;
}

export interface MapData {
  points: MapPoint[];
}

export interface MapSpec extends ChartSpec {
  /** Width / height of the drawing, so distances are equal across and down. */
  aspect?: number;
  demandLabel?: string;
  supplyLabel?: string;
  /** Name labels for the N largest demand points. */
  labelTop?: number;
  unservedLabel?: string;
}

export const MIN_BUBBLE = 6;
export const MAX_BUBBLE = 44;

export function isMapEmpty(data: MapData): boolean {
  return validPoints(data).length === 0;
}

function validPoints(data: MapData): MapPoint[] {
  return data.points.filter(
    (p) => Number.isFinite(p.longitude) && Number.isFinite(p.latitude) && Math.abs(p.latitude) <= 90 && Math.abs(p.longitude) <= 180,
  );
}

/** Bubble diameter: area proportional to the value, relative to the largest in its layer. */
export function bubbleSize(value: number | null, max: number): number {
  if (!value || value <= 0 || max <= 0) return 0;
  return MIN_BUBBLE + (MAX_BUBBLE - MIN_BUBBLE) * Math.sqrt(value / max);
}

export interface Projection {
  project(longitude: number, latitude: number): [number, number];
  x: [number, number];
  y: [number, number];
}

/** Equirectangular projection fitted to the points, padded, and widened to the drawing's aspect. */
export function fitProjection(points: readonly MapPoint[], aspect = 1.6): Projection {
  const meanLat = points.reduce((sum, p) => sum + p.latitude, 0) / Math.max(1, points.length);
  const k = Math.cos((meanLat * Math.PI) / 180) || 1;
  const project = (lon: number, lat: number): [number, number] => [lon * k, lat];
  const xs = points.map((p) => p.longitude * k);
  const ys = points.map((p) => p.latitude);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // A single place (or a line of places) still gets a frame of at least one degree around it.
  const span = Math.max(maxX - minX, maxY - minY, 1);
  const pad = span * 0.12;
  const halfX = Math.max(maxX - minX, span / 2) / 2 + pad;
  const halfY = Math.max(maxY - minY, span / 2) / 2 + pad;
  const [cx, cy] = [(minX + maxX) / 2, (minY + maxY) / 2];
  let [x0, x1, y0, y1] = [cx - halfX, cx + halfX, cy - halfY, cy + halfY];
  const width = x1 - x0;
  const height = y1 - y0;
  if (width / height < aspect) {
    const extra = (height * aspect - width) / 2;
    x0 -= extra; x1 += extra;
  } else {
    const extra = (width / aspect - height) / 2;
    y0 -= extra; y1 += extra;
  }
  return { project, x: [x0, x1], y: [y0, y1] };
}

export function mapOption(data: MapData, spec: MapSpec = {}): EChartsOption {
  const palette = paletteOf(spec);
  const meaning = spec.meaning ?? 'count';
  const points = validPoints(data);
  const projection = fitProjection(points, spec.aspect);
  // Each layer on its own scale: demand counts contacts, supply may count people or places.
  const maxDemand = Math.max(0, ...points.map((p) => p.demand ?? 0));
  const maxSupply = Math.max(0, ...points.map((p) => p.supply ?? 0));
  const labelled = new Set(
    [...points].sort((a, b) => (b.demand ?? 0) - (a.demand ?? 0)).slice(0, spec.labelTop ?? 8).filter((p) => (p.demand ?? 0) > 0).map((p) => p.id),
  );
  const demandLabel = spec.demandLabel ?? 'Demand';
  const supplyLabel = spec.supplyLabel ?? 'Free capacity';
  const fmt = (v: number | null) => formatValue(v, meaning, 'tooltip', { locale: spec.locale });
  const describe = (p: MapPoint) => `${p.name}: ${demandLabel.toLowerCase()} ${fmt(p.demand)}, ${supplyLabel.toLowerCase()} ${fmt(p.supply)}`;
  const byId = new Map(points.map((p) => [p.id, p]));
  const item = (p: MapPoint, value: number | null, max: number) => ({
    id: p.id,
    name: p.name,
    value: [...projection.project(p.longitude, p.latitude), value ?? 0],
    symbolSize: bubbleSize(value, max),
  });
  const unservedLabel = spec.unservedLabel ?? 'Demand, no free capacity';
  const unserved = points.filter((p) => (p.demand ?? 0) > 0 && !p.supply);
  const axis = (range: [number, number]) => ({
    type: 'value' as const,
    min: range[0],
    max: range[1],
    show: true,
    axisLabel: { show: false },
    axisTick: { show: false },
    axisLine: { show: false },
    splitLine: { show: true, lineStyle: { opacity: 0.5 } },
  });

  return {
    ...BASE,
    color: palette.series,
    legend: { show: true, top: 0, data: [demandLabel, supplyLabel, unservedLabel] },
    tooltip: {
      ...TOOLTIP,
      trigger: 'item',
      formatter: (p: unknown) => {
        const point = byId.get((p as { data?: { id?: string } }).data?.id ?? '');
        return point ? describe(point) : '';
      },
    },
    grid: { left: 8, right: 8, top: 32, bottom: 8 },
    xAxis: axis(projection.x),
    yAxis: axis(projection.y),
    series: [
      {
        type: 'scatter',
        name: demandLabel,
        data: points.filter((p) => (p.demand ?? 0) > 0).map((p) => item(p, p.demand, maxDemand)),
        itemStyle: { color: palette.series[0], opacity: 0.55 },
        label: {
          show: true,
          position: 'right',
          color: palette.text,
          formatter: (p: unknown) => {
            const id = (p as { data?: { id?: string } }).data?.id ?? '';
            return labelled.has(id) ? (byId.get(id)?.name ?? '') : '';
          },
        },
        labelLayout: { hideOverlap: true },
        z: 2,
      },
      {
        type: 'scatter',
        name: supplyLabel,
        data: points.filter((p) => (p.supply ?? 0) > 0).map((p) => item(p, p.supply, maxSupply)),
        itemStyle: { color: 'transparent', borderColor: palette.series[2], borderWidth: 2 },
        z: 3,
      },
      {
        type: 'scatter',
        name: unservedLabel,
        symbol: 'diamond',
        data: unserved.map((p) => ({ ...item(p, p.demand, maxDemand), symbolSize: 10 })),
        itemStyle: { color: palette.alert },
        z: 4,
      },
    ],
  };
}
