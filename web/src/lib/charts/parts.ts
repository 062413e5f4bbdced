// The ECharts pieces Handoff draws with, registered once. Importing echarts/core plus only these
// keeps the chart chunk far smaller than the full build. This module is only ever loaded with a
// dynamic import (see echarts.ts), so pages show their frames before the chart code arrives. The
// renderer is added by the caller: canvas in the browser (PNG export), SVG in the tests.
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { echartsTheme, themeName } from './theme';

echarts.use([
  BarChart,
  LineChart,
  FunnelChart,
  HeatmapChart,
  ScatterChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  LabelLayout,
]);
echarts.registerTheme(themeName('light'), echartsTheme('light'));
echarts.registerTheme(themeName('dark'), echartsTheme('dark'));

export { echarts };
