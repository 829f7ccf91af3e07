import type { ReactNode } from 'react';
import { type Experiment, formatBytes, formatValue, isSkipped, type Row } from '../../lib/bench';
import { Axes } from './axes';
import { valueScale } from './scale';
import styles from './styles.module.css';

const WIDTH = 760;
const HEIGHT = 340;
const PAD = { left: 80, right: 200, top: 16, bottom: 44 };

interface Series {
  key: string;
  runtime: Row['runtime'];
  model: Row['model'];
  method: string;
  points: { bytes: number; ms: number }[];
}

/** The rows of an experiment whose rows have `details.bytes` and `details.method`, as one line per way of sending. */
export function sizeSeries(experiment: Experiment): Series[] {
  const series = new Map<string, Series>();
  for (const row of experiment.rows) {
    const bytes = row.details?.bytes;
    const method = row.details?.method;
    if (isSkipped(row) || typeof bytes !== 'number' || typeof method !== 'string') continue;
    const key = `${row.runtime} ${row.model} ${method}`;
    if (!series.has(key))
      series.set(key, { key, runtime: row.runtime, model: row.model, method, points: [] });
    series.get(key)!.points.push({ bytes, ms: row.median });
  }
  for (const s of series.values()) s.points.sort((a, b) => a.bytes - b.bytes);
  return [...series.values()];
}

/** Time against size, both on logarithmic axes: a copy's cost climbs with the size, a transfer's stays flat. */
export default function SizeChart({ experiment }: { experiment: Experiment }): ReactNode {
  const series = sizeSeries(experiment);
  if (series.length === 0) return null;
  const sizes = series.flatMap((s) => s.points.map((p) => p.bytes));
  const xs = valueScale(sizes, true);
  const ys = valueScale(
    series.flatMap((s) => s.points.map((p) => p.ms)),
    true,
  );
  const x = (bytes: number) => PAD.left + xs.at(bytes) * (WIDTH - PAD.left - PAD.right);
  const y = (ms: number) => HEIGHT - PAD.bottom - ys.at(ms) * (HEIGHT - PAD.top - PAD.bottom);
  const title = `${experiment.title}: median ms by payload size, both axes logarithmic (lower is better)`;
  const name = (s: Series) => `${s.runtime === 'python' ? 'Python' : 'Node.js'} ${s.model} ${s.method}`;
  return (
    <figure className={styles.chart}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={title}
        data-testid={`bench-size-chart-${experiment.id}`}
        data-scale="log"
      >
        <title>{title}</title>
        <Axes
          yTicks={ys.ticks}
          y={y}
          yLabel={(tick) => formatValue(tick, 'ms')}
          xTicks={[...new Set(sizes)]}
          x={x}
          xLabel={formatBytes}
          xTitle="payload size"
          left={PAD.left}
          right={WIDTH - PAD.right}
          bottom={HEIGHT - PAD.bottom}
        />
        {series.map((s) => {
          const last = s.points[s.points.length - 1]!;
          return (
            <g key={s.key} className={styles[`model-${s.model}`]} data-series={s.key}>
              <polyline
                points={s.points.map((p) => `${x(p.bytes)},${y(p.ms)}`).join(' ')}
                className={
                  s.runtime === 'python' || s.method === 'transfer' ? styles.seriesPython : styles.series
                }
              />
              {s.points.map((p) => (
                <circle key={p.bytes} cx={x(p.bytes)} cy={y(p.ms)} r={3.5} className={styles.point} />
              ))}
              <text x={x(last.bytes) + 10} y={y(last.ms)} dominantBaseline="middle" className={styles.value}>
                {name(s)} {formatValue(last.ms, 'ms')}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        Median time from submit to the answer, by payload size; both axes are logarithmic (each step is ten
        times the last). Colour: model; dashed: a transfer, or Python.
      </figcaption>
    </figure>
  );
}
