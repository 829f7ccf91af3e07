/**
 * The shape of `@forkroad/bench`'s results JSON (`packages/bench/results/latest.json`), as the
 * site reads it, and the formatting the benchmark pages (and their browser test) use.
 */

// The results' types and number formatting are @forkroad/bench's own: one definition for the
// writer and the reader (`@forkroad/bench/report` imports no Node built-in).
import type { Experiment, Machine, Row, SuiteId, Unit } from '@forkroad/bench';
import { formatBytes, formatNumber } from '@forkroad/bench/report';

export type {
  BenchResults,
  Experiment,
  Machine,
  Model as BenchModel,
  Row,
  Suite,
  SuiteId,
  Unit,
} from '@forkroad/bench';
export { formatBytes, formatNumber };

export const SUITE_IDS: readonly SuiteId[] = [
  'io',
  'cpu',
  'overhead',
  'pools',
  'memory',
  'startup',
  'payload',
  'distributed',
];

/** The page of each suite. */
export const SUITE_PAGES: Record<SuiteId, string> = {
  io: '/docs/benchmarks/io',
  cpu: '/docs/benchmarks/cpu',
  overhead: '/docs/benchmarks/overhead',
  pools: '/docs/benchmarks/pools',
  memory: '/docs/benchmarks/memory',
  startup: '/docs/benchmarks/startup',
  payload: '/docs/benchmarks/payload',
  distributed: '/docs/benchmarks/distributed',
};

/** A measured value with its unit, as the tables show it. */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'bytes':
      return formatBytes(value);
    case 'ms':
      return `${formatNumber(value)} ms`;
    case 'tasks/s':
      return `${formatNumber(value)} tasks/s`;
  }
}

/**
 * A value in a table cell: the unit is in the column header (ms, tasks/s), except for bytes,
 * whose unit changes with the size (KiB, MiB).
 */
export function formatCell(value: number, unit: Unit): string {
  return unit === 'bytes' ? formatBytes(value) : formatNumber(value);
}

/** The unit a table's column header names, or undefined for bytes (each cell has its own). */
export function headerUnit(unit: Unit): string | undefined {
  return unit === 'bytes' ? undefined : unit;
}

/** "2,037 – 2,749" (ms, tasks/s) or "1,000 B – 1.91 MiB" (bytes), as the tables show a row's range. */
export function formatRange(row: Pick<Row, 'min' | 'max'>, unit: Unit): string {
  return `${formatCell(row.min, unit)} – ${formatCell(row.max, unit)}`;
}

/** A row's extra measurements, e.g. "workers 2 · efficiency 0.459". */
export function formatDetails(details: Record<string, number | string>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key} ${formatParam(value)}`)
    .join(' · ');
}

export function formatRatio(ratio: number): string {
  return `${formatNumber(ratio)}×`;
}

export function isSkipped(row: Row): boolean {
  return row.status === 'skipped';
}

/** For ms and bytes less is better; for throughput more is. */
export function lowerIsBetter(unit: Unit): boolean {
  return unit !== 'tasks/s';
}

export function formatParam(value: number | string): string {
  return typeof value === 'number' ? formatNumber(value, Number.isInteger(value) ? 0 : undefined) : value;
}

export function formatLoad(load: readonly number[]): string {
  return load.map((value) => value.toFixed(2)).join(' / ');
}

export function describeMachine(machine: Machine): string {
  return `${machine.cpuModel}, ${machine.cores} cores, ${formatBytes(machine.memoryBytes)} memory, ${machine.platform}/${machine.arch}`;
}

/**
 * An id on a page that shows several results files: `name` for the main one, `name-<set>` for the
 * others (`overhead-async-node24`), so that the same experiment's headings do not share an id.
 */
export function inSet(name: string, set: string): string {
  return set === 'latest' ? name : `${name}-${set}`;
}

/** A target's threshold as the targets table shows it: "≥ 3×", "≤ 1×". */
export function formatThreshold(target: { threshold: number; direction: 'at-least' | 'at-most' }): string {
  return `${target.direction === 'at-least' ? '≥' : '≤'} ${formatRatio(target.threshold)}`;
}

/** A stable id for a table row, for links and tests. */
export function rowTestId(experiment: Pick<Experiment, 'id'>, index: number): string {
  return `bench-row-${experiment.id}-${index}`;
}
