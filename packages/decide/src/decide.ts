import { adviceFor } from './advice.js';
import { flowchart, getNode, nextNode } from './flowchart.js';
import type {
  Answers,
  Decision,
  OutcomeId,
  PathStep,
  QuestionNode,
  Runtime,
  SpeedupModel,
  TasksInFlight,
  WorkloadAnswer,
  WorkloadReportLike,
} from './types.js';

/** The runtimes `decide` accepts. */
export const RUNTIMES: readonly Runtime[] = Object.freeze(['node', 'python'] as const);
/** The workloads `decide` accepts by name (a `WorkloadReport` object is accepted too). */
export const WORKLOADS: readonly WorkloadAnswer[] = Object.freeze(['cpu', 'io', 'mixed', 'unknown'] as const);
/** The `kind` values of a `WorkloadReport`. */
export const REPORT_KINDS: readonly WorkloadReportLike['kind'][] = Object.freeze([
  'cpu-bound',
  'io-bound',
  'mixed',
] as const);
/** From this many tasks in flight on, question 2 is answered "hundreds to thousands". */
export const MANY_TASKS_IN_FLIGHT = 1000;
/** A report with a lower `confidence` gets a caveat. */
export const LOW_CONFIDENCE = 0.6;
/** The answer recorded in the path for a question that was not answered. */
export const UNANSWERED = 'unanswered';

const ANSWER_KEYS = ['runtime', 'workload', 'tasksInFlight', 'blockingLibraries', 'fastEnough', 'isolation'];
const REPORT_WORKLOAD: Record<WorkloadReportLike['kind'], WorkloadAnswer> = {
  'cpu-bound': 'cpu',
  'io-bound': 'io',
  mixed: 'mixed',
};

interface Input {
  runtime: Runtime;
  workload: WorkloadAnswer | undefined;
  report: WorkloadReportLike | undefined;
  tasks: number | undefined;
  tasksRange: 'few' | 'many' | undefined;
  blocking: boolean | undefined;
  fastEnough: boolean | undefined;
  isolation: boolean | undefined;
}

/** How one question was answered, and what that adds to the rationale and caveats. */
interface Resolved {
  answer: string;
  assumed?: string;
  detail?: string;
  rationale: string[];
  caveats: string[];
}

const show = (value: unknown): string =>
  typeof value === 'string'
    ? `'${value}'`
    : typeof value === 'object' && value !== null
      ? 'an object'
      : String(value);
const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');
const fixed = (n: number): string => (Math.round(n * 100) / 100).toFixed(2);

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
  if (speedup !== undefined && (typeof speedup !== 'object' || speedup === null)) {
    throw new TypeError(`a WorkloadReport's speedup must be an object keyed by model, got ${show(speedup)}`);
  }
  if (evidence !== undefined && !(Array.isArray(evidence) && evidence.every((e) => typeof e === 'string'))) {
    throw new TypeError(`a WorkloadReport's evidence must be an array of strings, got ${show(evidence)}`);
  }
  return report as unknown as WorkloadReportLike;
}

function validate(answers: Answers): Input {
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
  if (typeof workload === 'object' && workload !== null) {
    report = checkReport(workload as Record<string, unknown>);
    name = REPORT_WORKLOAD[report.kind];
  } else if (workload === undefined || WORKLOADS.includes(workload as never)) {
    name = workload as WorkloadAnswer | undefined;
  } else {
    throw new TypeError(
      `workload must be one of ${list(WORKLOADS)} or a WorkloadReport from @forkroad/classify, got ${show(workload)}`,
    );
  }
  let tasks: number | undefined;
  let tasksRange: 'few' | 'many' | undefined;
  if (tasksInFlight === 'few' || tasksInFlight === 'many') {
    tasksRange = tasksInFlight;
  } else if (typeof tasksInFlight === 'number' && Number.isSafeInteger(tasksInFlight) && tasksInFlight >= 1) {
    tasks = tasksInFlight;
    tasksRange = tasksInFlight >= MANY_TASKS_IN_FLIGHT ? 'many' : 'few';
  } else if (tasksInFlight !== undefined) {
    throw new TypeError(
      `tasksInFlight must be a positive integer, 'few' or 'many' (or undefined), got ${show(tasksInFlight)}`,
    );
  }
  return {
    runtime: runtime as Runtime,
    workload: name,
    report,
    tasks,
    tasksRange,
    blocking: checkBoolean(raw, 'blockingLibraries'),
    fastEnough: checkBoolean(raw, 'fastEnough'),
    isolation: checkBoolean(raw, 'isolation'),
  };
}

function unanswered(assumed: string, caveat: string): Resolved {
  return { answer: UNANSWERED, assumed, rationale: [], caveats: [caveat] };
}

function resolveFastEnough(input: Input): Resolved {
  if (input.fastEnough === undefined) {
    return unanswered(
      'no',
      'You did not say whether it is already fast enough; this assumes it is not. If it already meets its deadline, keep it sequential: concurrency is a cost, not a goal.',
    );
  }
  return input.fastEnough
    ? { answer: 'yes', rationale: ['It is already fast enough.'], caveats: [] }
    : {
        answer: 'no',
        rationale: ['It is not fast enough yet, so concurrency may be worth its cost.'],
        caveats: [],
      };
}

const WORKLOAD_RATIONALE: Record<WorkloadAnswer, string> = {
  io: 'The work is I/O-bound: tasks spend their time waiting, so overlapping the waits is what speeds it up; more cores would sit idle.',
  cpu: 'The work is CPU-bound: it spends its time computing, so only running on more cores at once speeds it up.',
  mixed:
    'The work has both I/O and CPU stages: overlap the waiting, and spread the computing over the cores.',
  unknown:
    'Whether the work waits or computes is not known yet, and choosing a model without it is guessing.',
};

function resolveWorkload(input: Input): Resolved {
  const { report, workload } = input;
  if (workload === undefined) {
    return {
      answer: UNANSWERED,
      assumed: 'unknown',
      rationale: [WORKLOAD_RATIONALE.unknown],
      caveats: [],
    };
  }
  if (report === undefined)
    return { answer: workload, rationale: [WORKLOAD_RATIONALE[workload]], caveats: [] };
  const measured = `measured: ${report.kind}, CPU ÷ wall ${fixed(report.cpuShare)}, confidence ${fixed(report.confidence)}`;
  const rationale = [
    `forkroad classify measured the work as ${report.kind}: CPU time ÷ wall time = ${fixed(report.cpuShare)}, confidence ${fixed(report.confidence)}.`,
    ...(report.evidence ?? []).slice(0, 3).map((line) => `Evidence: ${line}`),
    WORKLOAD_RATIONALE[workload],
  ];
  const caveats =
    report.confidence < LOW_CONFIDENCE
      ? [
          `The classifier's confidence is low (${fixed(report.confidence)}): the measurement may not represent the real workload. Measure again with a longer, representative input, or answer the workload question yourself.`,
        ]
      : [];
  return { answer: workload, detail: measured, rationale, caveats };
}

function resolveTasks(input: Input): Resolved {
  const { tasks, tasksRange } = input;
  if (tasksRange === undefined) {
    return unanswered(
      'few',
      `You did not say how many tasks are in flight at once; this assumes a handful to a few hundred. At ${MANY_TASKS_IN_FLIGHT} or more, only async I/O scales.`,
    );
  }
  const count = tasks === undefined ? '' : `${tasks} tasks in flight`;
  const rationale =
    tasksRange === 'many'
      ? `${count ? `${count} is` : 'The tasks in flight are'} in the hundreds-to-thousands range: a thread per task stops scaling there; an event loop does not.`
      : `${count ? `${count} is` : 'The tasks in flight are'} in the range of a handful to a few hundred: even a thread per task is affordable.`;
  return { answer: tasksRange, ...(count ? { detail: count } : {}), rationale: [rationale], caveats: [] };
}

function resolveLibraries(input: Input, node: QuestionNode): Resolved {
  const { blocking, runtime } = input;
  const many = node.id === 'io-many-libraries';
  if (blocking === undefined) {
    // The guide's answer for the case, stated as an assumption: Node.js I/O is async by default;
    // in Python a handful of calls usually use blocking libraries (requests), thousands need async ones.
    if (runtime === 'node') {
      return unanswered(
        'async',
        'You did not say whether your libraries block; this assumes async APIs (fetch, fs/promises, an async driver), as most Node.js I/O is. If you call sync APIs (fs.*Sync, execSync, sync native addons), answer "blocking": they belong in worker threads.',
      );
    }
    return many
      ? unanswered(
          'async',
          'You did not say whether your libraries block; this assumes async libraries (aiohttp, httpx.AsyncClient, asyncpg), which thousands of tasks in flight need. If yours block (requests, psycopg2), answer "blocking" for a bounded thread pool, or switch libraries.',
        )
      : unanswered(
          'blocking',
          'You did not say whether your libraries block; this assumes blocking ones such as requests or psycopg2, the common case. If they are async (aiohttp, httpx.AsyncClient, asyncpg), asyncio fits better.',
        );
  }
  if (!blocking) {
    return {
      answer: 'async',
      rationale: [
        'Your libraries are async, so one event loop can keep every task in flight without a thread per task.',
      ],
      caveats: [],
    };
  }
  return {
    answer: 'blocking',
    rationale: [
      many
        ? 'Your libraries block: each call holds a thread until its I/O is done, and thousands of threads do not scale.'
        : 'Your libraries block: each call holds a thread until its I/O is done, so each task in flight needs a thread of its own.',
    ],
    caveats: [],
  };
}

function resolveIsolation(input: Input): Resolved {
  if (input.isolation === undefined) {
    return unanswered(
      'no',
      input.runtime === 'node'
        ? 'You did not say whether the work needs isolation; this assumes not. If it runs native code that may crash or is not thread-safe, needs a memory limit per task, or runs other programs, use @forkroad/processes.'
        : 'You did not say whether the work needs isolation; on Python the answer is processes either way, but with isolation the workers are recycled (max_tasks_per_child) or each task runs in its own subprocess.',
    );
  }
  return input.isolation
    ? {
        answer: 'yes',
        rationale: [
          'The work needs isolation, which only a separate process gives: its own memory, its own crash.',
        ],
        caveats: [],
      }
    : {
        answer: 'no',
        rationale: ['No isolation is needed, so the lightest way to use every core will do.'],
        caveats: [],
      };
}

function resolve(node: QuestionNode, input: Input): Resolved {
  switch (node.field) {
    case 'fastEnough':
      return resolveFastEnough(input);
    case 'workload':
      return resolveWorkload(input);
    case 'tasksInFlight':
      return resolveTasks(input);
    case 'blockingLibraries':
      return resolveLibraries(input, node);
    case 'isolation':
      return resolveIsolation(input);
  }
}

function estimateOf(report: WorkloadReportLike, model: SpeedupModel): Record<string, unknown> | undefined {
  const value: unknown = report.speedup?.[model];
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/**
 * The speedup a report estimates for a model: the number itself, or the `speedup` field of the
 * classifier's `SpeedupEstimate` (`estimate`, `factor` and `value` are read too).
 */
export function speedupEstimate(report: WorkloadReportLike, model: SpeedupModel): number | undefined {
  const value: unknown = report.speedup?.[model];
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const estimate = estimateOf(report, model);
  for (const key of ['speedup', 'estimate', 'factor', 'value']) {
    const inner = estimate?.[key];
    if (typeof inner === 'number' && Number.isFinite(inner)) return inner;
  }
  return undefined;
}

/** "4 workers; limited by cpu-capacity", from a `SpeedupEstimate`, when it says. */
function estimateDetail(report: WorkloadReportLike, model: SpeedupModel): string {
  const estimate = estimateOf(report, model);
  const parts: string[] = [];
  if (typeof estimate?.workers === 'number') {
    parts.push(`${estimate.workers} ${estimate.workers === 1 ? 'worker' : 'workers'}`);
  }
  if (typeof estimate?.limitedBy === 'string') parts.push(`limited by ${estimate.limitedBy}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

function speedupNotes(
  report: WorkloadReportLike,
  models: SpeedupModel[],
): { rationale: string[]; caveats: string[] } {
  const rationale: string[] = [];
  const caveats: string[] = [];
  for (const model of models) {
    const estimate = speedupEstimate(report, model);
    if (estimate === undefined) continue;
    rationale.push(
      `forkroad classify estimates a speedup of up to ${fixed(estimate)}× with ${model}${estimateDetail(report, model)} on the machine it measured.`,
    );
    if (estimate < 1.2) {
      caveats.push(
        `The estimated gain from ${model} is small (${fixed(estimate)}×): the part that cannot overlap dominates (Amdahl's law). Profile before adding concurrency.`,
      );
    }
  }
  return { rationale, caveats };
}

function labelFor(node: QuestionNode, step: Resolved): string {
  const option = (value: string) => node.answers.find((a) => a.value === value)?.label ?? value;
  if (step.answer === UNANSWERED) return `unanswered (assumed: ${option(step.assumed!)})`;
  return step.detail ? `${option(step.answer)} (${step.detail})` : option(step.answer);
}

/**
 * Walks {@link flowchart} with the answers and returns the recommendation for the runtime.
 *
 * A question the path reaches but the answers leave out is recorded as `'unanswered'` in the path,
 * with the answer assumed to go on (the guide's usual case: not fast enough yet; a handful to a few
 * hundred tasks; no isolation; libraries that block in Python at that scale and async ones
 * otherwise) — and a caveat says what was assumed and what changes if it is wrong. An unknown or
 * missing workload ends at the `measure` outcome.
 *
 * @throws TypeError when an answer is not one of the allowed values (the message names them).
 */
export function decide(answers: Answers): Decision {
  const input = validate(answers);
  const path: PathStep[] = [];
  const rationale: string[] = [];
  const caveats: string[] = [];
  let node = getNode(flowchart, flowchart.start);
  while (node?.kind === 'question') {
    const step = resolve(node, input);
    path.push({
      question: node.id,
      text: node.text,
      answer: step.answer,
      ...(step.assumed === undefined ? {} : { assumed: step.assumed }),
      label: labelFor(node, step),
    });
    rationale.push(...step.rationale);
    caveats.push(...step.caveats);
    node = nextNode(flowchart, node.id, step.assumed ?? step.answer);
  }
  if (node === undefined) throw new Error('internal error: the flowchart has a dead end');
  const outcome: OutcomeId = node.id;
  const model = node.model[input.runtime];
  const advice = adviceFor(outcome, input.runtime, { tasks: input.tasks });
  rationale.push(...advice.rationale);
  if (input.report !== undefined) {
    const used: SpeedupModel[] =
      model === 'hybrid'
        ? ['async', input.runtime === 'node' ? 'threads' : 'processes']
        : model === 'none'
          ? []
          : [model];
    const notes = speedupNotes(input.report, used);
    rationale.push(...notes.rationale);
    caveats.push(...notes.caveats);
  }
  caveats.push(...advice.caveats);
  return {
    runtime: input.runtime,
    outcome,
    model,
    summary: advice.summary,
    tool: advice.tool,
    path,
    rationale: [...new Set(rationale)],
    caveats: [...new Set(caveats)],
  };
}

/**
 * Sets the field of `answers` that a flowchart question reads, from one of the question's answer
 * values (as an interactive advisor gets them), and returns the new answers. `'unanswered'` removes it.
 *
 * @throws TypeError for an unknown question or answer value.
 */
export function applyAnswer<A extends Partial<Answers>>(answers: A, questionId: string, value: string): A {
  const node = getNode(flowchart, questionId);
  if (node?.kind !== 'question') {
    const ids = flowchart.nodes.filter((n) => n.kind === 'question').map((n) => n.id);
    throw new TypeError(`unknown question ${show(questionId)}: the questions are ${list(ids)}`);
  }
  const next: Record<string, unknown> = { ...answers };
  if (value === UNANSWERED) {
    delete next[node.field];
    return next as A;
  }
  if (!node.answers.some((a) => a.value === value)) {
    throw new TypeError(
      `question '${node.id}' takes one of ${list([...node.answers.map((a) => a.value), UNANSWERED])}, got ${show(value)}`,
    );
  }
  const converted: Record<typeof node.field, unknown> = {
    fastEnough: value === 'yes',
    workload: value,
    tasksInFlight: value as TasksInFlight,
    blockingLibraries: value === 'blocking',
    isolation: value === 'yes',
  };
  next[node.field] = converted[node.field];
  return next as A;
}
