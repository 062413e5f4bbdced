import { describe, expect, it } from 'vitest';
import { bubbleSize, fitProjection, isMapEmpty, mapOption, MAX_BUBBLE, MIN_BUBBLE, type MapPoint } from './options';

type AnyOption = Record<string, any>;

const jordan: MapPoint[] = [
  { id: '1', name: 'Amman', longitude: 35.93, latitude: 31.95, demand: 100, supply: 20 },
  { id: '2', name: 'Irbid', longitude: 35.85, latitude: 32.55, demand: 25, supply: 0 },
  { id: '3', name: 'Aqaba', longitude: 35.0, latitude: 29.53, demand: 0, supply: 5 },
  { id: '4', name: 'Nowhere', longitude: Number.NaN, latitude: 10, demand: 3, supply: 1 },
];

describe('mapOption', () => {
  it('draws demand, supply and unserved demand as three layers, skipping places without coordinates', () => {
    const option = mapOption({ points: jordan }) as AnyOption;
    const [demand, supply, unserved] = option.series;
    expect(demand.data.map((d: AnyOption) => d.name)).toEqual(['Amman', 'Irbid']);
    expect(supply.data.map((d: AnyOption) => d.name)).toEqual(['Amman', 'Aqaba']);
    expect(unserved.data.map((d: AnyOption) => d.name)).toEqual(['Irbid']);
  });

  it('scales bubble area to the value, each layer to its own largest', () => {
    expect(bubbleSize(100, 100)).toBe(MAX_BUBBLE);
    expect(bubbleSize(25, 100)).toBeCloseTo(MIN_BUBBLE + (MAX_BUBBLE - MIN_BUBBLE) * 0.5);
    expect(bubbleSize(0, 100)).toBe(0);
    expect(bubbleSize(null, 100)).toBe(0);
    const option = mapOption({ points: jordan }) as AnyOption;
    expect(option.series[0].data[0].symbolSize).toBe(MAX_BUBBLE);
  });

  it('keeps distances equal across and down at the drawing’s aspect', () => {
    const projection = fitProjection(jordan.slice(0, 3), 2);
    const width = projection.x[1] - projection.x[0];
    const height = projection.y[1] - projection.y[0];
    expect(width / height).toBeCloseTo(2);
    const [x] = projection.project(36, 31);
    expect(x).toBeCloseTo(36 * Math.cos((((31.95 + 32.55 + 29.53) / 3) * Math.PI) / 180));
  });

  it('frames a single place', () => {
    const projection = fitProjection([jordan[0]!], 1);
    expect(projection.x[1] - projection.x[0]).toBeGreaterThan(0.5);
  });

  it('tells the whole story in the tooltip', () => {
    const option = mapOption({ points: jordan }, { locale: 'en-US' }) as AnyOption;
    expect(option.tooltip.formatter({ data: { id: '2' } })).toBe('Irbid: demand 25, free capacity 0');
  });

  it('is empty without any placeable point', () => {
    expect(isMapEmpty({ points: [jordan[3]!] })).toBe(true);
    expect(isMapEmpty({ points: jordan })).toBe(false);
  });
});
