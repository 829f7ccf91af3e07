// Checking the answers `decide` is given, with messages that name the allowed values.
import { readReport } from './report.js';
import { MANY_TASKS_IN_FLIGHT } from './thresholds.js';
import type { Answers, Runtime, WorkloadAnswer, WorkloadReportLike } from './types.js';

export const RUNTIMES: readonly Runtime[] = Object.freeze(['node', 'python'] as const);
/** The workloads `decide` accepts by name (a `WorkloadReport` object is accepted too). */
export const WORKLOADS: readonly WorkloadAnswer[] = Object.freeze(['cpu', 'io', 'mixed', 'unknown'] as const);
/** The `kind` values of a `WorkloadReport`. */
export const REPORT_KINDS: readonly WorkloadReportLike['kind'][] = Object.freeze([
  'cpu-bound',
  'io-bound',
  'mixed',
] as const);
/** The answer recorded in the path for a question that was not answered. */
export const UNANSWERED = 'unanswered';

const ANSWER_KEYS = [
  'runtime',
  'workload',
  'tasksInFlight',
  'blockingLibraries',
  'fastEnough',
  'isolation',
  'beyondOneMachine',
  'server',
];

/** The answers, checked and normalized. */
export interface Input {
  runtime: Runtime;
  workload: WorkloadAnswer | undefined;
  report: WorkloadReportLike | undefined;
  /** How the report's label is read, when it needs saying (a `mixed` label without stages). */
  readingNote: string | undefined;
  tasks: number | undefined;
  tasksRange: 'one' | 'few' | 'many' | undefined;
  blocking: boolean | undefined;
  fastEnough: boolean | undefined;
  isolation: boolean | undefined;
  beyondOneMachine: boolean | undefined;
  server: boolean;
}

export const show = (value: unknown): string =>
  typeof value === 'string'
    ? `'${value}'`
    : typeof value === 'object' && value !== null
      ? 'an object'
      : String(value);
export const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

function checkBoolean(answers: Record<string, unknown>, key: string): boolean | undefined {
  const value = answers[key];
  if (value === undefined || typeof value === 'boolean') return value;
  throw new TypeError(`${key} must be true, false or undefined (unanswered), got ${show(value)}`);
}

function checkReport(report: Record<string, unknown>): WorkloadReportLike {
  const { kind, confidence, cpuShare, speedup, evidence } = report;
  if (!REPORT_KINDS.includes(kind as never)) {
    throw new TypeError(`a WorkloadReport's kind must be one of ${list(REPORT_KINDS)}, got ${show(kind)}`);
  }
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) {
    throw new TypeError(
      `a WorkloadReport's confidence must be a number from 0 to 1, got ${show(confidence)}`,
    );
  }
  if (typeof cpuShare !== 'number' || !(cpuShare >= 0) || !Number.isFinite(cpuShare)) {
    throw new TypeError(`a WorkloadReport's cpuShare must be a finite number >= 0, got ${show(cpuShare)}`);
  }
  if (report.command !== undefined && (typeof report.command !== 'object' || report.command === null)) {
    throw new TypeError(`a WorkloadReport's command must be an object, got ${show(report.command)}`);
  }
  if (speedup !== undefined && (typeof speedup !== 'object' || speedup === null)) {
    throw new TypeError(`a WorkloadReport's speedup must be an object keyed by model, got ${show(speedup)}`);
  }
  if (evidence !== undefined && !(Array.isArray(evidence) && evidence.every((e) => typeof e === 'string'))) {
    throw new TypeError(`a WorkloadReport's evidence must be an array of strings, got ${show(evidence)}`);
  }
  return report as unknown as WorkloadReportLike;
}

export function validate(answers: Answers): Input {
  if (typeof answers !== 'object' || answers === null) {
    throw new TypeError(`answers must be an object with ${list(ANSWER_KEYS)}, got ${show(answers)}`);
  }
  const raw = answers as unknown as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!ANSWER_KEYS.includes(key)) {
      throw new TypeError(`unknown answer '${key}': the answers are ${list(ANSWER_KEYS)}`);
    }
  }
  const { runtime, workload, tasksInFlight } = raw;
  if (!RUNTIMES.includes(runtime as never)) {
    throw new TypeError(`runtime must be one of ${list(RUNTIMES)}, got ${show(runtime)}`);
  }
  let name: WorkloadAnswer | undefined;
  let report: WorkloadReportLike | undefined;
  let readingNote: string | undefined;
  if (typeof workload === 'object' && workload !== null) {
    report = checkReport(workload as Record<string, unknown>);
    const read = readReport(report);
    name = read.reading;
    readingNote = read.note;
  } else if (workload === undefined || WORKLOADS.includes(workload as never)) {
    name = workload as WorkloadAnswer | undefined;
  } else {
    throw new TypeError(
      `workload must be one of ${list(WORKLOADS)} or a WorkloadReport from @forkroad/classify, got ${show(workload)}`,
    );
  }
  let tasks: number | undefined;
  let tasksRange: 'one' | 'few' | 'many' | undefined;
  if (tasksInFlight === 'one' || tasksInFlight === 'few' || tasksInFlight === 'many') {
    tasksRange = tasksInFlight;
  } else if (typeof tasksInFlight === 'number' && Number.isSafeInteger(tasksInFlight) && tasksInFlight >= 1) {
    tasks = tasksInFlight;
    tasksRange = tasksInFlight === 1 ? 'one' : tasksInFlight >= MANY_TASKS_IN_FLIGHT ? 'many' : 'few';
  } else if (tasksInFlight !== undefined) {
    throw new TypeError(
      `tasksInFlight must be a positive integer, 'one', 'few' or 'many' (or undefined), got ${show(tasksInFlight)}`,
    );
  }
  return {
    runtime: runtime as Runtime,
    workload: name,
    report,
    readingNote,
    tasks,
    tasksRange,
    blocking: checkBoolean(raw, 'blockingLibraries'),
    fastEnough: checkBoolean(raw, 'fastEnough'),
    isolation: checkBoolean(raw, 'isolation'),
    beyondOneMachine: checkBoolean(raw, 'beyondOneMachine'),
    server: checkBoolean(raw, 'server') ?? false,
  };
}
