/** An exponential moving mean that gives `sample` this `weight`; NaN (no sample yet) takes the sample. */
export function movingMean(previous: number, sample: number, weight: number): number {
  return Number.isNaN(previous) ? sample : previous * (1 - weight) + sample * weight;
}
