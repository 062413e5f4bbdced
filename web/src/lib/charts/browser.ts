// What the browser loads lazily: the shared parts plus the canvas renderer (getDataURL gives a
// PNG from a canvas; the SVG renderer would give an SVG).
import { CanvasRenderer } from 'echarts/renderers';
import { echarts } from './parts';

echarts.use([CanvasRenderer]);

export { echarts };
