import type { ReactNode } from 'react';
import { type Experiment, formatValue, isSkipped, lowerIsBetter } from '../../lib/bench';
import { valueScale } from './scale';
import styles from './styles.module.css';

const WIDTH = 760;
const LABEL_WIDTH = 250;
const VALUE_WIDTH = 120;
const BAR_HEIGHT = 20;
const GAP = 8;
const TOP = 8;

/**
 * Horizontal bars of each row's median, with a whisker from min to max. Plain SVG: every number
 * it draws comes from the experiment passed in.
 */
export default function BarChart({ experiment }: { experiment: Experiment }): ReactNode {
  const rows = experiment.rows.filter((row) => !isSkipped(row));
  if (rows.length === 0) return null;
  const axis = valueScale(rows.flatMap((row) => [row.min, row.median, row.max]));
  const scale = (value: number) => axis.at(value) * (WIDTH - LABEL_WIDTH - VALUE_WIDTH);
  const height = TOP * 2 + rows.length * (BAR_HEIGHT + GAP);
  const title = `${experiment.title}: median per run in ${experiment.unit} (${
    lowerIsBetter(experiment.unit) ? 'lower' : 'higher'
  } is better${axis.log ? '; logarithmic scale' : ''})`;
  return (
    <figure className={styles.chart}>
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={title}
        data-testid={`bench-chart-${experiment.id}`}
        data-scale={axis.log ? 'log' : 'linear'}
      >
        <title>{title}</title>
        {rows.map((row, index) => {
          const y = TOP + index * (BAR_HEIGHT + GAP);
          const mid = y + BAR_HEIGHT / 2;
          return (
            <g key={`${row.runtime}-${row.label}`} className={styles[`model-${row.model}`]}>
              <text
                x={LABEL_WIDTH - 8}
                y={mid}
                textAnchor="end"
                dominantBaseline="middle"
                className={styles.label}
              >
                {row.runtime === 'python' ? `${row.label} (Python)` : row.label}
              </text>
              <rect
                x={LABEL_WIDTH}
                y={y}
                width={Math.max(1, scale(row.median))}
                height={BAR_HEIGHT}
                rx={3}
                className={row.runtime === 'python' ? styles.barPython : styles.bar}
              />
              <line
                x1={LABEL_WIDTH + scale(row.min)}
                x2={LABEL_WIDTH + scale(row.max)}
                y1={mid}
                y2={mid}
                className={styles.whisker}
              />
              <text
                x={LABEL_WIDTH + scale(Math.max(row.max, row.median)) + 6}
                y={mid}
                dominantBaseline="middle"
                className={styles.value}
              >
                {formatValue(row.median, experiment.unit)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption>
        Bars: median; line: min – max. Colour: model
        {rows.some((row) => row.runtime === 'python') ? '; pale, outlined bars are Python' : ''}.
        {axis.log
          ? ' Logarithmic scale: the values span orders of magnitude, and each step of the axis is ten times the last.'
          : ''}
      </figcaption>
    </figure>
  );
}
