import { createEffect, onCleanup } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMonth } from '../format';

export type Series = { label: string; values: (number | null)[]; color: string };

const PALETTE = ['#1f5fa8', '#c0392b', '#2e8b57', '#b7791f', '#7b3fa0', '#0f7c8c', '#5c6b7a', '#d35400'];
export const colorOf = (i: number) => PALETTE[i % PALETTE.length]!;

/** A line chart of percentages per month (uPlot): x = months, y = 0–100 %. */
export const TrendChart = (props: {
  months: string[];
  series: Series[];
  title: string;
  xLabel: string;
  height?: number;
}) => {
  let host!: HTMLDivElement;
  let plot: uPlot | undefined;
  createEffect(() => {
    const months = props.months;
    const series = props.series;
    plot?.destroy();
    const width = Math.max(320, host.clientWidth || 640);
    const xs = months.map((_, i) => i);
    plot = new uPlot(
      {
        title: props.title,
        width,
        height: props.height ?? 240,
        scales: { x: { time: false }, y: { range: [0, 100] } },
        axes: [
          {
            values: (_u, splits) =>
              splits.map((s) => (Number.isInteger(s) ? formatMonth(months[s] ?? '') : '')),
          },
          { values: (_u, splits) => splits.map((s) => `${s}%`), size: 48 },
        ],
        series: [
          {
            label: props.xLabel,
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatMonth(months[v] ?? '')),
          },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { show: true, size: 5 },
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? 'N/A' : `${v}%`),
          })),
        ],
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
      },
      [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
      host,
    );
  });
  onCleanup(() => plot?.destroy());
  return <div class="trend-chart" ref={host} />;
};
