/**
 * The value axis of a chart: linear, or logarithmic when the values span orders of magnitude
 * (memory per thread vs per promise, tasks per second of a loop vs a pool), so the small bars
 * are not lost next to the big ones.
 */
export interface Scale {
  log: boolean;
  /** 0 … 1 along the axis. */
  at(value: number): number;
  /** Values for grid lines and their labels. */
  ticks: number[];
}

/** Log once the largest value is this many times the smallest. */
export const LOG_SPAN = 50;

export function valueScale(values: readonly number[], forceLog = false): Scale {
  const positive = values.filter((v) => v > 0);
  const hi = Math.max(...positive, Number.MIN_VALUE);
  const lo = Math.min(...positive, hi);
  if (positive.length > 0 && (forceLog || hi / lo >= LOG_SPAN)) {
    const from = Math.floor(Math.log10(lo));
    const to = Math.ceil(Math.log10(hi));
    const span = Math.max(1, to - from);
    const ticks: number[] = [];
    for (let p = from; p <= to; p++) ticks.push(10 ** p);
    return { log: true, at: (v) => (Math.log10(Math.max(v, 10 ** from)) - from) / span, ticks };
  }
  return { log: false, at: (v) => (hi > 0 ? v / hi : 0), ticks: [] };
}
