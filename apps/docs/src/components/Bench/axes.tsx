import type { ReactNode } from 'react';
import styles from './styles.module.css';

/** Horizontal grid lines with their labels on the left, and labels under the x axis with its title. */
export function Axes({
  yTicks,
  y,
  yLabel,
  xTicks,
  x,
  xLabel,
  xTitle,
  left,
  right,
  bottom,
}: {
  yTicks: readonly number[];
  y: (value: number) => number;
  yLabel: (value: number) => string;
  xTicks: readonly number[];
  x: (value: number) => number;
  xLabel: (value: number) => string;
  xTitle: string;
  /** The plot's left and right edges and its bottom (the x axis), in SVG units. */
  left: number;
  right: number;
  bottom: number;
}): ReactNode {
  return (
    <>
      {yTicks.map((tick) => (
        <g key={`y${tick}`}>
          <line x1={left} x2={right} y1={y(tick)} y2={y(tick)} className={styles.grid} />
          <text x={left - 8} y={y(tick)} textAnchor="end" dominantBaseline="middle" className={styles.label}>
            {yLabel(tick)}
          </text>
        </g>
      ))}
      {xTicks.map((tick) => (
        <text key={`x${tick}`} x={x(tick)} y={bottom + 18} textAnchor="middle" className={styles.label}>
          {xLabel(tick)}
        </text>
      ))}
      <text x={(left + right) / 2} y={bottom + 38} textAnchor="middle" className={styles.label}>
        {xTitle}
      </text>
    </>
  );
}
