import { adviceFor } from './advice.js';
import { flowchart, getNode, nextNode } from './flowchart.js';
import {
  alreadyParallel,
  computeShareOf,
  estimateDetail,
  fixed,
  launcherNote,
  otherReading,
  type ReportReading,
  type RuntimeSpeedup,
  runFailure,
  runtimeSpeedup,
  turnTakingNote,
  workerCount,
} from './report.js';
import { LOW_CONFIDENCE, MANY_TASKS_IN_FLIGHT } from './thresholds.js';
import type {
  Alternative,
  Answers,
  Decision,
  Model,
  OutcomeId,
  PathStep,
  QuestionNode,
  Runtime,
  SpeedupModel,
  TasksInFlight,
  WorkloadAnswer,
  WorkloadReportLike,
} from './types.js';
import { type Input, list, show, UNANSWERED, validate } from './validate.js';

/** The runtimes `decide` accepts. */
/** How one question was answered, and what that adds to the rationale and caveats. */
interface Resolved {
  answer: string;
  assumed?: string;
  detail?: string;
  rationale: string[];
  caveats: string[];
}

function unanswered(assumed: string, caveat: string): Resolved {
  return { answer: UNANSWERED, assumed, rationale: [], caveats: [caveat] };
}

/**
 * A yes/no question: unanswered, it goes on with "no" and the caveat; answered, with the rationale
 * for the answer (none when it adds nothing).
 */
function yesNo(value: boolean | undefined, caveat: string, yes: string, no?: string): Resolved {
  if (value === undefined) return unanswered('no', caveat);
  const reason = value ? yes : no;
  return { answer: value ? 'yes' : 'no', rationale: reason === undefined ? [] : [reason], caveats: [] };
}

const resolveFastEnough = (input: Input): Resolved =>
  yesNo(
    input.fastEnough,
    'You did not say whether it is already fast enough; this assumes it is not. If it already meets its deadline, keep it sequential: concurrency is a cost, not a goal.',
    'It is already fast enough.',
    'It is not fast enough yet, so concurrency may be worth its cost.',
  );

const resolveBeyondOneMachine = (input: Input): Resolved =>
  yesNo(
    input.beyondOneMachine,
    'You did not say whether the work outgrows one machine or must outlive the caller; this assumes it runs on one machine while the caller waits. For background jobs or more work than one machine can do, answer "yes" for a job queue.',
    'The work outgrows one machine or must outlive the caller: it needs a queue that holds the jobs, and workers that can run anywhere.',
  );

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
    ...(input.readingNote === undefined ? [] : [input.readingNote]),
    WORKLOAD_RATIONALE[workload],
  ];
  const caveats: string[] = [];
  if (report.confidence < LOW_CONFIDENCE) {
    caveats.push(
      `The classifier's confidence is low (${fixed(report.confidence)}): the measurement may not represent the real workload. Measure again with a longer, representative input, or answer the workload question yourself.`,
    );
  }
  return { answer: workload, detail: measured, rationale, caveats };
}

function resolveTasks(input: Input): Resolved {
  const { tasks, tasksRange } = input;
  if (tasksRange === undefined) {
    return unanswered(
      'few',
      `You did not say how many tasks are in flight at once; this assumes 2 to ${MANY_TASKS_IN_FLIGHT - 1}. At ${MANY_TASKS_IN_FLIGHT} or more, only async I/O scales; with one at a time, there is nothing to overlap.`,
    );
  }
  const count = tasks === undefined ? '' : `${tasks} ${tasks === 1 ? 'task' : 'tasks'} in flight`;
  const subject = count ? `${count} is` : 'The tasks in flight are';
  const rationale = {
    one: 'One task in flight at a time: there is nothing to overlap, so concurrency cannot speed it up. Run several tasks at once (or split the task into parts) before choosing a model.',
    few: `${subject} below ${MANY_TASKS_IN_FLIGHT}: even a thread per task is affordable.`,
    many: `${subject} ${MANY_TASKS_IN_FLIGHT} or more: a thread per task stops scaling there; an event loop does not.`,
  }[tasksRange];
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

const resolveIsolation = (input: Input): Resolved =>
  yesNo(
    input.isolation,
    input.runtime === 'node'
      ? 'You did not say whether the work needs isolation; this assumes not. If it runs native code that may crash or is not thread-safe, needs a memory limit per task, or runs other programs, use @forkroad/processes.'
      : 'You did not say whether the work needs isolation; on Python the answer is processes either way, but with isolation the workers are recycled (max_tasks_per_child) or each task runs in its own subprocess.',
    'The work needs isolation, which only a separate process gives: its own memory, its own crash.',
    'No isolation is needed, so the lightest way to use every core will do.',
  );

function resolve(node: QuestionNode, input: Input): Resolved {
  switch (node.field) {
    case 'fastEnough':
      return resolveFastEnough(input);
    case 'beyondOneMachine':
      return resolveBeyondOneMachine(input);
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

function speedupNotes(
  input: Input,
  report: WorkloadReportLike,
  models: SpeedupModel[],
  parallel: boolean,
): { rationale: string[]; caveats: string[] } {
  const rationale: string[] = [];
  const caveats: string[] = [];
  const turns = turnTakingNote(report, input.runtime);
  if (turns !== undefined) rationale.push(turns);
  const launcher = launcherNote(report);
  if (launcher !== undefined) caveats.push(launcher);
  for (const model of models) {
    const estimate = runtimeSpeedup(report, model, input.runtime);
    if (estimate === undefined) continue;
    rationale.push(
      estimate.gilBound
        ? `Under the GIL, Python ${model === 'async' ? 'asyncio overlaps' : 'threads overlap'} only the waiting: with a compute share of ${fixed(computeShareOf(report))}, up to ${fixed(estimate.speedup)}× (1 ÷ compute share), whatever the cores.`
        : `forkroad classify estimates a speedup of up to ${fixed(estimate.speedup)}× with ${model}${estimateDetail(report, model, input.runtime)} on the machine it measured.`,
    );
    if (estimate.speedup >= 1.2 || parallel) continue;
    caveats.push(smallEstimateCaveat(report, model, estimate));
  }
  return { rationale, caveats };
}

/**
 * Why an estimate under 1.2× is small. Only a bound of the work itself is Amdahl's law; the CPUs
 * free while it measured, and the pool sized from them, say nothing about the work.
 */
function smallEstimateCaveat(
  report: WorkloadReportLike,
  model: SpeedupModel,
  estimate: RuntimeSpeedup,
): string {
  const capacity = report.capacity;
  const free = capacity
    ? ` (${fixed(capacity.cores)} of ${capacity.availableParallelism}: other programs kept the rest busy)`
    : '';
  const elsewhere = 'Measure again on a quieter machine, or count on the cores it will have where it runs.';
  if (estimate.limitedBy === 'cpu-capacity') {
    return `The estimate for ${model} (${fixed(estimate.speedup)}×) is capped by the CPUs that were free while it measured${free}, not by the work. ${elsewhere}`;
  }
  if (estimate.limitedBy === 'workers') {
    const workers = estimate.workers === undefined ? 'workers' : workerCount(estimate.workers);
    return `The estimate for ${model} (${fixed(estimate.speedup)}×) is bounded by the ${workers} it assumes, a pool sized from the CPUs that were free while it measured${free}, not by the work. ${elsewhere}`;
  }
  return `The estimated gain from ${model} is small (${fixed(estimate.speedup)}×): the part that cannot overlap dominates (Amdahl's law). Profile before adding concurrency.`;
}

function labelFor(node: QuestionNode, step: Resolved): string {
  const option = (value: string) => node.answers.find((a) => a.value === value)?.label ?? value;
  if (step.answer === UNANSWERED) return `unanswered (assumed: ${option(step.assumed!)})`;
  return step.detail ? `${option(step.answer)} (${step.detail})` : option(step.answer);
}

interface Walk {
  outcome: OutcomeId;
  path: PathStep[];
  rationale: string[];
  caveats: string[];
}

/** Follows the flowchart from its start, resolving each question on the way from the input. */
function walk(input: Input): Walk {
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
  return { outcome: node.id, path, rationale, caveats };
}

const modelAt = (outcome: OutcomeId, runtime: Runtime): Model => {
  const node = getNode(flowchart, outcome);
  if (node?.kind !== 'outcome') throw new Error(`internal error: no outcome '${outcome}'`);
  return node.model[runtime];
};

/** The models a server would rather get as several server workers. */
const SERVER_MODELS: readonly Model[] = ['threads', 'processes', 'hybrid'];

/** The models whose speedup estimates back a recommendation. */
function modelsUsed(model: Model, runtime: Runtime): SpeedupModel[] {
  if (model === 'hybrid') return ['async', runtime === 'node' ? 'threads' : 'processes'];
  return model === 'none' || model === 'distributed' ? [] : [model];
}

/** The branch the other reading of an uncertain measurement leads to, walked with the same answers. */
function alternativeFor(input: Input, chosen: OutcomeId): Alternative | undefined {
  const { report, workload } = input;
  if (report === undefined || workload === undefined || workload === 'unknown') return undefined;
  // A failed run has no reading to weigh: it is to be fixed and measured again.
  if (runFailure(report) !== undefined) return undefined;
  const other = otherReading(report, workload as ReportReading);
  if (other === undefined) return undefined;
  const { outcome } = walk({ ...input, workload: other.reading, readingNote: undefined });
  if (outcome === chosen) return undefined;
  const ctx = { tasks: input.tasks, server: input.server };
  return {
    workload: other.reading,
    outcome,
    model: modelAt(outcome, input.runtime),
    summary: adviceFor(outcome, input.runtime, ctx).summary,
    decidedBy: other.decidedBy,
  };
}

/**
 * Walks {@link flowchart} with the answers and returns the recommendation for the runtime.
 *
 * A question the path reaches but the answers leave out is recorded as `'unanswered'` in the path,
 * with the answer assumed to go on (the guide's usual case: not fast enough yet; one machine;
 * 2 to 999 tasks; no isolation; libraries that block in Python at that scale and async ones
 * otherwise) — and a caveat says what was assumed and what changes if it is wrong. An unknown or
 * missing workload ends at the `measure` outcome.
 *
 * With a `WorkloadReport`: a failed run is the first caveat; a `mixed` label without separate
 * stages is read as the side its compute share is on; a reading near a threshold or at low
 * confidence comes with `alternative`, the other branch and what would decide between them;
 * Python's threads and asyncio are estimated under the GIL.
 *
 * @throws TypeError when an answer is not one of the allowed values (the message names them).
 */
export function decide(answers: Answers): Decision {
  const input = validate(answers);
  const { outcome, path, rationale, caveats } = walk(input);
  const model = modelAt(outcome, input.runtime);
  const advice = adviceFor(outcome, input.runtime, { tasks: input.tasks, server: input.server });
  const first: string[] = [];
  rationale.push(...advice.rationale);
  if (input.report !== undefined) {
    const failure = runFailure(input.report);
    if (failure !== undefined) {
      first.push(
        `The measured run failed (${failure}): it measured the failure, not the work. Fix the run and measure again before acting on this advice.`,
      );
    }
    // An already parallel program hears so first: what is left to gain depends on it.
    const parallel = alreadyParallel(input.report);
    if (parallel !== undefined) first.push(parallel);
    const notes = speedupNotes(input, input.report, modelsUsed(model, input.runtime), parallel !== undefined);
    rationale.push(...notes.rationale);
    caveats.push(...notes.caveats);
  }
  if (input.report?.target === 'process' && !input.server && SERVER_MODELS.includes(model)) {
    caveats.push(
      'This measured a running process: if it is a server answering requests, answer server (forkroad advise --server) for several server workers instead of a pool inside a request.',
    );
  }
  if (input.tasksRange === 'one' && model !== 'none' && model !== 'distributed') {
    caveats.push(
      'You run one task at a time: a pool speeds up only several tasks in flight. Split the work into independent parts (chunks of the input) to use it.',
    );
  }
  caveats.push(...advice.caveats);
  const alternative = alternativeFor(input, outcome);
  if (alternative !== undefined) {
    caveats.unshift(
      `This reading of the measurement is not clear-cut (confidence ${fixed(input.report!.confidence)}): read as ${alternative.workload === 'mixed' ? 'separate I/O and CPU stages' : alternative.workload === 'io' ? 'I/O-bound' : 'CPU-bound'}, it would be ${alternative.model}: ${alternative.summary} What decides: ${alternative.decidedBy}`,
    );
  }
  return {
    runtime: input.runtime,
    outcome,
    model,
    summary: advice.summary,
    tool: advice.tool,
    path,
    rationale: [...new Set(rationale)],
    caveats: [...new Set([...first, ...caveats])],
    ...(alternative === undefined ? {} : { alternative }),
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
    beyondOneMachine: value === 'yes',
    workload: value,
    tasksInFlight: value as TasksInFlight,
    blockingLibraries: value === 'blocking',
    isolation: value === 'yes',
  };
  next[node.field] = converted[node.field];
  return next as A;
}
