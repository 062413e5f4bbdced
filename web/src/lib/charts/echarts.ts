// The one Svelte action that owns ECharts. Everything about the chart's life is here: the lazy
// import, init with the current theme, setOption(option, { notMerge: true }) on every update (the
// option builders return whole options, so nothing stale survives), a ResizeObserver, theme
// switches, reduced motion, dispose on destroy, and the `data-chart-ready="true"` attribute that
// browser tests wait for instead of sleeping.
import type { Action } from 'svelte/action';
import type { EChartsOption } from 'echarts';
import type { EChartsType } from 'echarts/core';
import type { Theme } from '../state/theme';
import { PALETTES, themeName } from './theme';

export interface EChartsParams {
  option: EChartsOption;
  theme: Theme;
}

type EChartsModule = typeof import('./browser');

let loading: Promise<EChartsModule> | null = null;
/** Loads the ECharts chunk once; later charts reuse it. */
export function loadECharts(): Promise<EChartsModule> {
  loading ??= import('./browser');
  return loading;
}

const instances = new WeakMap<HTMLElement, EChartsType>();

export const READY_ATTRIBUTE = 'data-chart-ready';

/** A PNG of a drawn chart (for the export button), on the theme's background; null if not drawn. */
export function chartImage(node: HTMLElement, theme: Theme): string | null {
  const chart = instances.get(node);
  if (!chart || chart.isDisposed()) return null;
  return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: PALETTES[theme].surface });
}

function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export const echarts: Action<HTMLElement, EChartsParams> = (node, initial) => {
  let params = initial;
  let chart: EChartsType | null = null;
  let destroyed = false;
  let frame = 0;
  let appliedTheme: Theme | null = null;

  node.setAttribute(READY_ATTRIBUTE, 'false');

  const markReady = () => node.setAttribute(READY_ATTRIBUTE, 'true');

  function render() {
    if (!chart) return;
    if (appliedTheme !== params.theme) {
      chart.setTheme(themeName(params.theme));
      appliedTheme = params.theme;
    }
    node.setAttribute(READY_ATTRIBUTE, 'false');
    const option: EChartsOption = prefersReducedMotion() ? { ...params.option, animation: false } : params.option;
    chart.setOption(option, { notMerge: true });
  }

  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => chart?.resize());
  });

  loadECharts()
    .then(({ echarts: lib }) => {
      if (destroyed) return;
      chart = lib.init(node, themeName(params.theme), { renderer: 'canvas' });
      appliedTheme = params.theme;
      instances.set(node, chart);
      // 'finished' fires once a render (and its animation) is complete, after every setOption.
      chart.on('finished', markReady);
      observer.observe(node);
      render();
    })
    .catch((error: unknown) => {
      // The frame around the chart shows this; the attribute lets a test fail fast instead of timing out.
      node.setAttribute(READY_ATTRIBUTE, 'error');
      console.error('could not load the chart library', error);
    });

  return {
    update(next) {
      params = next;
      render();
    },
    destroy() {
      destroyed = true;
      cancelAnimationFrame(frame);
      observer.disconnect();
      instances.delete(node);
      chart?.dispose();
      chart = null;
    },
  };
};
