/**
 * Issue 10's targets (and issue 11's submit target), checked against a results document: each says whether it was met, with the
 * numbers. Browser-safe (the docs import it through `@forkroad/bench/report`). A target whose
 * experiment is not in the document (another suite or backend was run) is left out.
 */
import { formatBytes, formatNumber } from './numbers.js';
import type { BenchResults, Experiment, Row } from './types.js';

export interface Target {
  id: string;
  /** What is asked, e.g. `@forkroad/async submit ≥ 3× p-limit's rate`. */
  description: string;
  /** The measured ratio compared with `threshold`. */
  value: number;
  threshold: number;
  /** `'at-least'`: value ≥ threshold; `'at-most'`: value ≤ threshold. */
  direction: 'at-least' | 'at-most';
  met: boolean;
  /** The ratio and the numbers behind it, for people: `3.21× (0.45 M tasks/s vs 0.14 M tasks/s)`. */
  measured: string;
  /** The numbers behind the ratio, each with its row: `@forkroad/async submit 0.45 M tasks/s vs p-limit 0.14 M tasks/s`. */
  numbers: string;
  /** The experiment the numbers come from. */
  experiment: string;
}

interface Spec {
  id: string;
  experiment: string;
  mine: string;
  theirs: string;
  description: string;
  threshold: number;
  direction: 'at-least' | 'at-most';
  /** The ratio from the two rows (default: median over median). */
  ratio?: (mine: Row, theirs: Row) => number;
  show: (row: Row) => string;
}

const rate = (row: Row) => `${formatNumber(row.median / 1e6, 3)} M tasks/s`;
const speedup = (row: Row) => `${formatNumber(row.ratio ?? Number.NaN, 2)}× speedup`;

const SPECS: readonly Spec[] = [
  {
    id: 'async-submit-vs-p-limit',
    experiment: 'overhead-async',
    mine: '@forkroad/async submit',
    theirs: 'p-limit',
    description: "@forkroad/async submit ≥ 3× p-limit's rate",
    threshold: 3,
    direction: 'at-least',
    show: rate,
  },
  {
    id: 'async-submit-vs-p-map',
    experiment: 'overhead-async',
    mine: '@forkroad/async submit',
    theirs: 'p-map',
    description: "@forkroad/async submit ≥ 0.7× p-map's rate",
    threshold: 0.7,
    direction: 'at-least',
    show: rate,
  },
  {
    id: 'async-map-vs-p-map',
    experiment: 'overhead-async',
    mine: '@forkroad/async map',
    theirs: 'p-map',
    description: "@forkroad/async map ≥ 1.5× p-map's rate",
    threshold: 1.5,
    direction: 'at-least',
    show: rate,
  },
  {
    id: 'async-map-peak-rss',
    experiment: 'memory-async-map',
    mine: '@forkroad/async map',
    theirs: 'p-map',
    description: "@forkroad/async map's peak RSS ≤ p-map's",
    threshold: 1,
    direction: 'at-most',
    show: (row) => formatBytes(row.median),
  },
  {
    id: 'async-host-promises',
    experiment: 'overhead-async-host',
    mine: 'after @forkroad/async',
    theirs: 'fresh process',
    description: "the host's own promise code keeps ≥ 95% of its throughput after @forkroad/async ran",
    threshold: 0.95,
    direction: 'at-least',
    ratio: (mine, base) => base.median / mine.median,
    show: (row) => `${formatNumber(row.median)} ms`,
  },
  {
    id: 'distributed-submit-vs-bullmq',
    experiment: 'distributed-tiny',
    mine: 'forkroad submit',
    theirs: 'BullMQ add + waitUntilFinished',
    description:
      "@forkroad/distributed submit ≥ 1.0× raw BullMQ's add + waitUntilFinished (issue 11; its other targets are in the suite's notes)",
    threshold: 1,
    direction: 'at-least',
    show: (row) => `${formatNumber(row.median)} tasks/s`,
  },
  ...(['threads', 'processes'] as const).map(
    (backend): Spec => ({
      id: `${backend}-first-batch`,
      experiment: `pools-first-batch-${backend}`,
      mine: `@forkroad/${backend}`,
      theirs: backend === 'threads' ? 'piscina' : 'workerpool',
      description: `@forkroad/${backend}'s first-batch CPU speedup ≥ 0.98× ${backend === 'threads' ? 'piscina' : 'workerpool'}'s`,
      threshold: 0.98,
      direction: 'at-least',
      ratio: (mine, theirs) => (mine.ratio ?? Number.NaN) / (theirs.ratio ?? Number.NaN),
      show: speedup,
    }),
  ),
];

function experiments(results: BenchResults): Map<string, Experiment> {
  return new Map(results.suites.flatMap((s) => s.experiments).map((e) => [e.id, e]));
}

function nodeRow(e: Experiment, label: string): Row | undefined {
  return e.rows.find((r) => r.runtime === 'node' && r.label === label && r.status !== 'skipped');
}

/** The targets this document has the numbers for, each met or not. */
export function evaluateTargets(results: BenchResults): Target[] {
  const byId = experiments(results);
  const targets: Target[] = [];
  for (const spec of SPECS) {
    const e = byId.get(spec.experiment);
    const mine = e && nodeRow(e, spec.mine);
    const theirs = e && nodeRow(e, spec.theirs);
    if (!mine || !theirs) continue;
    const value = (spec.ratio ?? ((a, b) => a.median / b.median))(mine, theirs);
    const met = spec.direction === 'at-least' ? value >= spec.threshold : value <= spec.threshold;
    targets.push({
      id: spec.id,
      description: spec.description,
      value: Math.round(value * 1000) / 1000,
      threshold: spec.threshold,
      direction: spec.direction,
      met: Number.isFinite(value) && met,
      measured: `${formatNumber(value, 2)}× (${spec.show(mine)} vs ${spec.show(theirs)})`,
      numbers: `${spec.mine} ${spec.show(mine)} vs ${spec.theirs} ${spec.show(theirs)}`,
      experiment: spec.experiment,
    });
  }
  return targets;
}

/** `met` / `NOT met` lines, one per target. */
export function formatTargets(targets: readonly Target[]): string[] {
  return targets.map((t) => `${t.met ? 'met    ' : 'NOT met'}  ${t.description}: ${t.measured}`);
}
