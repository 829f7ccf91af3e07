import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Model, Row, Runtime } from './types.js';

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `items` starting at position `by` (mod length): rep r measures the contenders in a rotated order. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Rounds to `digits` significant digits (keeps the JSON readable). */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) return value;
  return Number(value.toPrecision(digits));
}

export interface RowIdentity {
  label: string;
  runtime: Runtime;
  model: Model;
  tool: string;
  details?: Record<string, number | string>;
  note?: string;
}

/** A measured row from its samples (already in the experiment's unit), to `digits` significant digits. */
export function measuredRow(id: RowIdentity, samples: readonly number[], digits = 4): Row {
  const row: Row = {
    label: id.label,
    runtime: id.runtime,
    model: id.model,
    tool: id.tool,
    median: round(median(samples), digits),
    min: round(Math.min(...samples), digits),
    max: round(Math.max(...samples), digits),
    samples: samples.length,
  };
  if (id.note) row.note = id.note;
  if (id.details) row.details = id.details;
  return row;
}

/** A row that was not measured, with the reason. */
export function skippedRow(id: RowIdentity, note: string): Row {
  const row: Row = {
    label: id.label,
    runtime: id.runtime,
    model: id.model,
    tool: id.tool,
    median: 0,
    min: 0,
    max: 0,
    samples: 0,
    status: 'skipped',
    note,
  };
  if (id.details) row.details = id.details;
  return row;
}

/**
 * Sets `ratio` on each measured row: `ratioOf(row, baselineRow)` against the measured row of the
 * same runtime labelled `baseline`. Rows without such a baseline get none.
 */
export function setRatios(rows: Row[], baseline: string, ratioOf: (row: Row, base: Row) => number): void {
  for (const row of rows) {
    if (row.status === 'skipped') continue;
    const base = rows.find(
      (r) => r.runtime === row.runtime && r.label === baseline && r.status !== 'skipped',
    );
    if (!base || base.median <= 0 || row.median <= 0) continue;
    row.ratio = round(ratioOf(row, base), 3);
  }
}

type Collect = (options?: { type: 'major' | 'minor' }) => void;
let collect: Collect | null = null;

function collector(): Collect {
  if (collect === null) {
    if (typeof globalThis.gc !== 'function') {
      setFlagsFromString('--expose-gc');
      globalThis.gc = runInNewContext('gc') as NodeJS.GCFunction;
    }
    collect = globalThis.gc as Collect;
  }
  return collect;
}

/** A full garbage collection: for a memory baseline, never between timed runs. */
export function fullGc(): void {
  collector()();
}

/** This process's resident and virtual size from /proc (Linux), or RSS alone elsewhere. */
export function memorySnapshot(): { rss: number; vsize: number | null; pss: number | null } {
  let vsize: number | null = null;
  let pss: number | null = null;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const vm = /^VmSize:\s+(\d+) kB/m.exec(status);
    if (vm) vsize = Number(vm[1]) * 1024;
  } catch {}
  try {
    const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const m = /^Pss:\s+(\d+) kB/m.exec(rollup);
    if (m) pss = Number(m[1]) * 1024;
  } catch {}
  return { rss: process.memoryUsage.rss(), vsize, pss };
}
