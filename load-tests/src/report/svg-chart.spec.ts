import { CHART_MARGIN, chartGeometry, type LineChartSpec, renderLineChart } from './svg-chart';

function spec(overrides: Partial<LineChartSpec> = {}): LineChartSpec {
  return {
    title: 'Rates',
    width: 800,
    height: 300,
    xValues: [0, 10, 20, 30, 40],
    xLabel: 'seconds',
    yLabel: 'per second',
    series: [
      { key: 'spike', label: 'requests', color: '#dc2626', values: [0, 5000, 2500, 1000, 0] },
      { key: 'flat', label: 'orders', color: '#16a34a', values: [150, 150, 150, 150, 0] },
    ],
    ...overrides,
  };
}

/** The points of the polyline drawn for one series, as numbers. */
function pointsOf(svg: string, key: string): [number, number][] {
  const match = new RegExp(`<polyline data-series="${key}" points="([^"]*)"`).exec(svg);
  if (!match) throw new Error(`no polyline for ${key}`);
  return match[1].split(' ').map((pair) => pair.split(',').map(Number) as [number, number]);
}

describe('renderLineChart', () => {
  it('draws one polyline per series with one point per x value', () => {
    const svg = renderLineChart(spec());
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(pointsOf(svg, 'spike')).toHaveLength(5);
    expect(pointsOf(svg, 'flat')).toHaveLength(5);
  });

  it('puts the highest sample on the top edge of the plot and 0 on the bottom edge', () => {
    const chart = spec();
    const { plot } = chartGeometry(chart);
    const spike = pointsOf(renderLineChart(chart), 'spike');
    expect(plot.top).toBe(CHART_MARGIN.top);
    expect(spike[1][1]).toBe(plot.top);
    expect(spike[0][1]).toBe(plot.top + plot.height);
    expect(Math.min(...spike.map(([, y]) => y))).toBe(plot.top);
  });

  it('scales a maximum that is not round to the round axis above it', () => {
    const chart = spec({ series: [{ key: 'spike', label: 'requests', color: 'red', values: [0, 4870] }] });
    const { plot, yScale } = chartGeometry(chart);
    expect(yScale.max).toBe(5000);
    const [, top] = pointsOf(renderLineChart(chart), 'spike');
    expect(top[1]).toBeCloseTo(plot.top + plot.height * (1 - 4870 / 5000), 0);
  });

  it('spans the x axis from 0 at the left edge to the round maximum at the right edge', () => {
    const chart = spec();
    const { plot, xScale } = chartGeometry(chart);
    expect(xScale.max).toBe(40);
    const spike = pointsOf(renderLineChart(chart), 'spike');
    expect(spike[0][0]).toBe(plot.left);
    expect(spike[4][0]).toBe(plot.left + plot.width);
    const xs = spike.map(([x]) => x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('gives stacked charts with the same width and x maximum the same time axis', () => {
    const a = chartGeometry(spec({ xMax: 60 }));
    const b = chartGeometry(
      spec({
        xMax: 60,
        height: 200,
        series: [{ key: 'b', label: 'b', color: 'red', values: [1, 2, 3, 4, 99_999] }],
      }),
    );
    expect(b.plot.left).toBe(a.plot.left);
    expect(b.plot.width).toBe(a.plot.width);
    for (const t of [0, 7, 30, 60]) expect(b.x(t)).toBe(a.x(t));
  });

  it('labels round ticks with thousands separators', () => {
    const svg = renderLineChart(spec());
    for (const label of ['0', '1,000', '2,000', '5,000']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).toContain('>40</text>');
    expect(svg).toContain('>per second</text>');
    expect(svg).toContain('>seconds</text>');
  });

  it('draws an all-zero series along the bottom of a 0 … 1 axis', () => {
    const chart = spec({
      series: [{ key: 'none', label: 'nothing', color: 'gray', values: [0, 0, 0, 0, 0] }],
    });
    const { plot, yScale } = chartGeometry(chart);
    expect(yScale.ticks).toEqual([0, 1]);
    const points = pointsOf(renderLineChart(chart), 'none');
    expect(points.every(([, y]) => y === plot.top + plot.height)).toBe(true);
  });

  it('has a legend entry per series and escapes every text it is given', () => {
    const svg = renderLineChart(
      spec({
        title: 'A <b>title</b>',
        yLabel: 'x & y',
        series: [{ key: 'k"1', label: '<script>alert(1)</script>', color: 'red', values: [1, 2] }],
      }),
    );
    expect(svg.match(/class="legend-item"/g)).toHaveLength(1);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('A &lt;b&gt;title&lt;/b&gt;');
    expect(svg).toContain('x &amp; y');
    expect(svg).toContain('data-series="k&quot;1"');
    expect(svg).not.toMatch(/<script|<b>/);
  });

  it('refers to nothing outside itself', () => {
    const svg = renderLineChart(spec({ markers: [{ x: 30, label: 'drained', color: 'purple' }] }));
    expect(svg).not.toMatch(/https?:|xmlns|href|url\(/);
  });

  it('shades the area under a filled series and shows a lone sample as a dot', () => {
    const filled = renderLineChart(
      spec({
        series: [{ key: 'backlog', label: 'backlog', color: 'purple', values: [0, 5, 3, 0, 0], fill: true }],
      }),
    );
    expect(filled).toContain('<polygon data-area="backlog"');
    const lone = renderLineChart(
      spec({ xValues: [0], series: [{ key: 'one', label: 'one', color: 'red', values: [3] }] }),
    );
    expect(pointsOf(lone, 'one')).toHaveLength(1);
    expect(lone).toContain('<circle ');
  });

  it('draws a labelled vertical marker at its x', () => {
    const chart = spec({ markers: [{ x: 30, label: 'drained at 30 s', color: 'purple' }] });
    const { plot, x } = chartGeometry(chart);
    const svg = renderLineChart(chart);
    expect(svg).toContain(
      `<line x1="${x(30)}" y1="${plot.top}" x2="${x(30)}" y2="${plot.top + plot.height}"`,
    );
    expect(svg).toContain('>drained at 30 s</text>');
  });
});
