/**
 * A line chart drawn as inline SVG by our own code, so the report is one self-contained file: it opens
 * from disk or as a CI artifact with no network, no chart library and nothing to load. Charts that are
 * stacked pass the same width and x maximum, and then share one time axis: the plot area's left and
 * right edges do not depend on the data.
 */
import { escapeHtml, formatNumber } from './html-text';
import { type NiceScale, niceTicks, stepDecimals } from './nice-ticks';

export interface LineSeries {
  /** Written as data-series on the line, so a reader of the markup (or a test) can find it. */
  key: string;
  label: string;
  color: string;
  /** One value per x value. Values below 0 are drawn at 0: the y axis starts at 0. */
  values: readonly number[];
  /** Shade the area under the line: for an amount that builds up (a backlog) rather than a rate. */
  fill?: boolean;
  dashed?: boolean;
  strokeWidth?: number;
}

/** A vertical line across the plot at one x, labelled at its top (e.g. "backlog drained"). */
export interface VerticalMarker {
  x: number;
  label: string;
  color: string;
}

export interface LineChartSpec {
  title: string;
  width: number;
  height: number;
  xValues: readonly number[];
  /** The x data maximum to scale to; stacked charts pass the same one. Default: the largest x value. */
  xMax?: number;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  markers?: readonly VerticalMarker[];
  /** Counts: y ticks only on whole numbers. */
  integerTicks?: boolean;
}

export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ChartGeometry {
  plot: PlotArea;
  xScale: NiceScale;
  yScale: NiceScale;
  /** Pixel x of a data x. */
  x(value: number): number;
  /** Pixel y of a data y (clamped to the plot). */
  y(value: number): number;
}

/** Room for the title and legend above the plot, tick labels and axis titles around it. */
export const CHART_MARGIN = { left: 76, right: 28, top: 58, bottom: 46 } as const;

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
const AXIS_COLOR = '#4b5563';
const GRID_COLOR = '#e5e7eb';

/** Where the plot sits and how data maps onto it; renderLineChart draws with exactly this. */
export function chartGeometry(spec: LineChartSpec): ChartGeometry {
  const plot: PlotArea = {
    left: CHART_MARGIN.left,
    top: CHART_MARGIN.top,
    width: Math.max(1, spec.width - CHART_MARGIN.left - CHART_MARGIN.right),
    height: Math.max(1, spec.height - CHART_MARGIN.top - CHART_MARGIN.bottom),
  };
  const xScale = niceTicks(spec.xMax ?? maxOf(spec.xValues), { target: 10, integer: true });
  const yMax = Math.max(0, ...spec.series.map((series) => maxOf(series.values)));
  const yScale = niceTicks(yMax, { target: 5, integer: spec.integerTicks });
  return {
    plot,
    xScale,
    yScale,
    x: (value) => round1(plot.left + (clamp(value, 0, xScale.max) / xScale.max) * plot.width),
    y: (value) => round1(plot.top + plot.height - (clamp(value, 0, yScale.max) / yScale.max) * plot.height),
  };
}

/** An <svg> element (no XML namespace needed inline in HTML, and none wanted: no URLs in the page). */
export function renderLineChart(spec: LineChartSpec): string {
  const geometry = chartGeometry(spec);
  const { plot } = geometry;
  const parts: string[] = [
    `<svg class="chart" width="${spec.width}" height="${spec.height}" viewBox="0 0 ${spec.width} ${spec.height}" ` +
      `role="img" font-family="${FONT}" font-size="12">`,
    `<title>${escapeHtml(spec.title)}</title>`,
    `<text x="${plot.left}" y="20" font-size="15" font-weight="600" fill="#111827">${escapeHtml(spec.title)}</text>`,
    renderLegend(spec.series, plot.left, 42),
    renderYAxis(spec, geometry),
    renderXAxis(spec, geometry),
    ...spec.series.map((series) => renderSeries(series, spec.xValues, geometry)),
    ...(spec.markers ?? []).map((marker) => renderMarker(marker, geometry)),
    // The frame last, so lines at 0 or at the maximum do not hide it.
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="${AXIS_COLOR}" stroke-width="1"/>`,
    '</svg>',
  ];
  return parts.join('\n');
}

function renderLegend(series: readonly LineSeries[], left: number, baseline: number): string {
  let x = left;
  const items = series.map((entry) => {
    const item =
      `<g class="legend-item" data-legend="${escapeHtml(entry.key)}">` +
      `<line x1="${x}" y1="${baseline - 4}" x2="${x + 22}" y2="${baseline - 4}" stroke="${escapeHtml(entry.color)}" ` +
      `stroke-width="${entry.strokeWidth ?? 2.5}"${entry.dashed ? ' stroke-dasharray="6 4"' : ''}/>` +
      `<text x="${x + 28}" y="${baseline}" fill="#374151">${escapeHtml(entry.label)}</text></g>`;
    // No text measuring in a string: an average glyph width is close enough to space the items.
    x += 28 + entry.label.length * 6.6 + 22;
    return item;
  });
  return `<g class="legend">${items.join('')}</g>`;
}

function renderYAxis(spec: LineChartSpec, geometry: ChartGeometry): string {
  const { plot, yScale } = geometry;
  const decimals = stepDecimals(yScale.step);
  const ticks = yScale.ticks.map((tick) => {
    const y = geometry.y(tick);
    return (
      `<line x1="${plot.left}" y1="${y}" x2="${plot.left + plot.width}" y2="${y}" stroke="${GRID_COLOR}"/>` +
      `<line x1="${plot.left - 5}" y1="${y}" x2="${plot.left}" y2="${y}" stroke="${AXIS_COLOR}"/>` +
      `<text x="${plot.left - 8}" y="${y + 4}" text-anchor="end" fill="${AXIS_COLOR}">${formatNumber(tick, decimals)}</text>`
    );
  });
  const middle = round1(plot.top + plot.height / 2);
  const label =
    `<text x="16" y="${middle}" text-anchor="middle" transform="rotate(-90 16 ${middle})" fill="${AXIS_COLOR}">` +
    `${escapeHtml(spec.yLabel)}</text>`;
  return `<g class="y-axis">${ticks.join('')}${label}</g>`;
}

function renderXAxis(spec: LineChartSpec, geometry: ChartGeometry): string {
  const { plot, xScale } = geometry;
  const bottom = plot.top + plot.height;
  const ticks = xScale.ticks.map((tick) => {
    const x = geometry.x(tick);
    return (
      `<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom + 5}" stroke="${AXIS_COLOR}"/>` +
      `<text x="${x}" y="${bottom + 18}" text-anchor="middle" fill="${AXIS_COLOR}">${formatNumber(tick)}</text>`
    );
  });
  const label =
    `<text x="${round1(plot.left + plot.width / 2)}" y="${bottom + 38}" text-anchor="middle" fill="${AXIS_COLOR}">` +
    `${escapeHtml(spec.xLabel)}</text>`;
  return `<g class="x-axis">${ticks.join('')}${label}</g>`;
}

function renderSeries(series: LineSeries, xValues: readonly number[], geometry: ChartGeometry): string {
  const count = Math.min(series.values.length, xValues.length);
  const points = Array.from({ length: count }, (_, i) => [
    geometry.x(xValues[i]),
    geometry.y(series.values[i]),
  ]);
  const color = escapeHtml(series.color);
  const key = escapeHtml(series.key);
  const parts: string[] = [];
  if (series.fill && count > 0) {
    const bottom = geometry.plot.top + geometry.plot.height;
    const outline = [...points, [points[count - 1][0], bottom], [points[0][0], bottom]];
    parts.push(
      `<polygon data-area="${key}" points="${pointList(outline)}" fill="${color}" fill-opacity="0.14"/>`,
    );
  }
  parts.push(
    `<polyline data-series="${key}" points="${pointList(points)}" fill="none" stroke="${color}" ` +
      `stroke-width="${series.strokeWidth ?? 2.5}" stroke-linejoin="round" stroke-linecap="round"` +
      `${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
  );
  // A line through one point draws nothing: show the lone sample as a dot.
  if (count === 1) parts.push(`<circle cx="${points[0][0]}" cy="${points[0][1]}" r="3.5" fill="${color}"/>`);
  return parts.join('\n');
}

function renderMarker(marker: VerticalMarker, geometry: ChartGeometry): string {
  const { plot } = geometry;
  const x = geometry.x(marker.x);
  const color = escapeHtml(marker.color);
  // Label on the side with room for it.
  const onLeft = x > plot.left + plot.width * 0.75;
  return (
    `<g class="marker"><line x1="${x}" y1="${plot.top}" x2="${x}" y2="${plot.top + plot.height}" stroke="${color}" ` +
    `stroke-width="1.5" stroke-dasharray="4 3"/>` +
    `<text x="${onLeft ? x - 6 : x + 6}" y="${plot.top + 16}" text-anchor="${onLeft ? 'end' : 'start'}" ` +
    `fill="${color}" font-weight="600">${escapeHtml(marker.label)}</text></g>`
  );
}

function pointList(points: readonly number[][]): string {
  return points.map(([x, y]) => `${x},${y}`).join(' ');
}

function maxOf(values: readonly number[]): number {
  let max = 0;
  for (const value of values) if (Number.isFinite(value) && value > max) max = value;
  return max;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isFinite(value) ? value : 0));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
