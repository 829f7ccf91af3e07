import type { ReactNode } from 'react';
import { type Experiment, formatRatio, isSkipped, type Row } from '../../lib/bench';
import { Axes } from './axes';
import styles from './styles.module.css';

const WIDTH = 440;
const HEIGHT = 260;
const PAD = { left: 44, right: 120, top: 16, bottom: 44 };

interface Series {
  model: Row['model'];
  points: { workers: number; speedup: number }[];
}

/**
 * The speedup of each parallel model over the same runtime's sequential loop, by number of
 * workers, with the ideal (speedup = workers) dashed: the shape of the curve is what carries over
 * from one machine to another, which bars of absolute times side by side do not show.
 */
export function speedupSeries(experiment: Experiment, runtime: Row['runtime']): Series[] {
  const rows = experiment.rows.filter(
    (row) =>
      row.runtime === runtime &&
      !isSkipped(row) &&
      row.ratio !== undefined &&
      (row.model === 'threads' || row.model === 'processes') &&
      typeof row.details?.workers === 'number',
  );
  const models = [...new Set(rows.map((row) => row.model))];
  return models.map((model) => ({
    model,
    // Every curve starts at the sequential loop: one worker, 1×.
    points: [
      { workers: 1, speedup: 1 },
      ...rows
        .filter((row) => row.model === model)
        .map((row) => ({ workers: row.details!.workers as number, speedup: row.ratio! })),
    ]
      .sort((a, b) => a.workers - b.workers)
      .filter((point, i, all) => i === all.length - 1 || point.workers !== all[i + 1]!.workers),
  }));
}

export default function SpeedupChart({
  experiment,
  runtime,
}: {
  experiment: Experiment;
  runtime: Row['runtime'];
}): ReactNode {
  const series = speedupSeries(experiment, runtime);
  if (series.length === 0) return null;
  const maxWorkers = Math.max(2, ...series.flatMap((s) => s.points.map((p) => p.workers)));
  const maxSpeedup = Math.max(maxWorkers, ...series.flatMap((s) => s.points.map((p) => p.speedup)));
  const x = (workers: number) =>
    PAD.left + ((workers - 1) / (maxWorkers - 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (speedup: number) =>
    HEIGHT - PAD.bottom - (speedup / maxSpeedup) * (HEIGHT - PAD.top - PAD.bottom);
  const name = runtime === 'node' ? 'Node.js' : 'Python';
  const title = `${name}: speedup over the sequential loop by number of workers (higher is better; dashed: ideal)`;
  const workerTicks = Array.from({ length: maxWorkers }, (_, i) => i + 1);
  const speedupTicks = Array.from({ length: Math.floor(maxSpeedup) + 1 }, (_, i) => i);
  return (
    <figure className={styles.chart}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={title}
        data-testid={`bench-speedup-${experiment.id}-${runtime}`}
      >
        <title>{title}</title>
        <Axes
          yTicks={speedupTicks}
          y={y}
          yLabel={(tick) => `${tick}×`}
          xTicks={workerTicks}
          x={x}
          xLabel={String}
          xTitle="workers"
          left={PAD.left}
          right={WIDTH - PAD.right}
          bottom={HEIGHT - PAD.bottom}
        />
        <line x1={x(1)} y1={y(1)} x2={x(maxWorkers)} y2={y(maxWorkers)} className={styles.ideal} />
        {series.map((s) => {
          const last = s.points[s.points.length - 1]!;
          return (
            <g key={s.model} className={styles[`model-${s.model}`]}>
              <polyline
                points={s.points.map((p) => `${x(p.workers)},${y(p.speedup)}`).join(' ')}
                className={runtime === 'python' ? styles.seriesPython : styles.series}
              />
              {s.points.map((p) => (
                <circle key={p.workers} cx={x(p.workers)} cy={y(p.speedup)} r={4} className={styles.point} />
              ))}
              <text
                x={x(last.workers) + 10}
                y={y(last.speedup)}
                dominantBaseline="middle"
                className={styles.value}
              >
                {s.model} {formatRatio(last.speedup)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        {name}: the median's speedup over {name}'s sequential loop, by number of workers; every line starts at
        the sequential loop (1 worker, 1×). Dashed grey: the ideal, where n workers are n times as fast.
        Colour: model.
      </figcaption>
    </figure>
  );
}
