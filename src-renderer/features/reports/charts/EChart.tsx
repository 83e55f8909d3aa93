import { useEffect, useRef } from 'react';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

/**
 * The one place the renderer touches ECharts (eslint/layers.mjs allows `echarts` in this folder only).
 * Only what the reports draw is imported: line, bar and heatmap charts, grid, tooltip, legend, visual
 * map, and the SVG renderer (sharp when printed at any resolution, and it draws in jsdom too).
 */
echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/** Chinese text first: the system's CJK faces, then the usual fallbacks. */
export const CHART_FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

/** A chart that follows its box's size; `label` names it for screen readers (charts are images to them). */
export function EChart({ option, label, height }: { option: ChartOption; label: string; height: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, undefined, { renderer: 'svg', height, ...(el.clientWidth === 0 ? { width: 600 } : {}) });
    chart.current = c;
    const resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => el.clientWidth > 0 && c.resize());
    resize?.observe(el);
    const beforePrint = () => c.resize();
    window.addEventListener('beforeprint', beforePrint);
    return () => {
      resize?.disconnect();
      window.removeEventListener('beforeprint', beforePrint);
      c.dispose();
      chart.current = null;
    };
  }, [height]);
  useEffect(() => {
    chart.current?.setOption({ textStyle: { fontFamily: CHART_FONT }, animation: false, ...option }, true);
  }, [option]);
  return <div ref={box} role="img" aria-label={label} className="report-chart" style={{ height }} />;
}
