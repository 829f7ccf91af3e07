import type {
  CommandDetails,
  ConcurrencyModel,
  SpeedupEstimate,
  TimelineWindow,
  WorkloadReport,
} from '@forkroad/classify/types';

/** The runtimes the engine answers for. */
export type Runtime = 'node' | 'python';

/** The concurrency model a decision recommends. `'none'` means: no concurrency (yet). */
export type Model = 'none' | 'async' | 'threads' | 'processes' | 'hybrid' | 'distributed';

/** The three models the classifier estimates a speedup for (`ConcurrencyModel` in `@forkroad/classify`). */
export type SpeedupModel = ConcurrencyModel;

/** Question 1 answered by hand: `'unknown'` leads to "measure it first". */
export type WorkloadAnswer = 'cpu' | 'io' | 'mixed' | 'unknown';

/**
 * What `decide` reads from a `WorkloadReport` of `@forkroad/classify` (the field types are
 * classify's own). A real report (which has more) can be passed as it is; the optional fields
 * make the advice more precise when they are there.
 */
export interface WorkloadReportLike
  extends Readonly<Pick<WorkloadReport, 'kind' | 'confidence' | 'cpuShare'>>,
    Readonly<
      Partial<
        Pick<WorkloadReport, 'target' | 'wallMs' | 'cpuMs' | 'computeShare' | 'parallelism' | 'capacity'>
      >
    > {
  /**
   * The classifier's estimate of the speedup each model can give on the machine it measured: its
   * `SpeedupEstimate`, or a plain number.
   */
  readonly speedup?: { readonly [K in SpeedupModel]?: SpeedupEstimate | number };
  /** Human-readable measurements; the first few are quoted in the rationale. */
  readonly evidence?: readonly string[];
  /** For a measured command: how it ended. A run that failed is not a workload. */
  readonly command?: Readonly<Partial<Pick<CommandDetails, 'argv' | 'exitCode' | 'signal' | 'timedOut'>>>;
  /** Set by the classifier when the run failed (exit status, signal, timeout), with its stderr's end. */
  readonly failure?: WorkloadReport['failure'];
  /** The estimates in Node's and in Python's models; the engine reads the runtime it answers for. */
  readonly speedupByRuntime?: WorkloadReport['speedupByRuntime'];
  /** Threads taking turns on one CPU (the GIL): lock hand-over, not a shortage of CPUs. */
  readonly turnTaking?: WorkloadReport['turnTaking'];
  /** The program already keeps several CPUs busy. */
  readonly alreadyParallel?: WorkloadReport['alreadyParallel'];
  /** The runtime the command ran (Python, Node), when the classifier recognised it. */
  readonly runtime?: WorkloadReport['runtime'];
  /** A launcher (pyenv shim, wrapper) that ran before the program, counted apart. */
  readonly launcher?: WorkloadReport['launcher'];
  /** The sampled timeline: where separate I/O and CPU stages show. */
  readonly timeline?: readonly Readonly<TimelineWindow>[];
}

/** How many tasks are in flight at once: a count, or the flowchart's ranges (`'one'`: one at a time). */
export type TasksInFlight = number | 'one' | 'few' | 'many';

/** The answers to the flowchart's questions. Leave a field out when the answer is not known. */
export interface Answers {
  runtime: Runtime;
  /** Question 1: the kind of work, or a `WorkloadReport` from `@forkroad/classify`. */
  workload: WorkloadAnswer | WorkloadReportLike;
  /** Question 2 (I/O): tasks in flight at once. {@link MANY_TASKS_IN_FLIGHT} or more counts as "many". */
  tasksInFlight?: TasksInFlight;
  /** Question 3 (I/O): do the libraries you call block (`true`) or are they async (`false`)? */
  blockingLibraries?: boolean;
  /** Question 0: is it already fast enough? */
  fastEnough?: boolean;
  /**
   * Does the work outgrow one machine, or must it outlive the caller (background jobs)? `true`
   * leads to the `distributed` outcome.
   */
  beyondOneMachine?: boolean;
  /**
   * The program is a server answering requests (a web app): its CPU work is spread with several
   * server workers (gunicorn -w, node:cluster) rather than a pool inside a request.
   */
  server?: boolean;
  /** CPU: does the work need isolation (crash-prone or thread-unsafe native code, a memory limit per task, other programs)? */
  isolation?: boolean;
}

/** The field of {@link Answers} that answers a question. */
export type AnswerField =
  | 'fastEnough'
  | 'beyondOneMachine'
  | 'workload'
  | 'tasksInFlight'
  | 'blockingLibraries'
  | 'isolation';

export type QuestionId =
  | 'fast-enough'
  | 'beyond-one-machine'
  | 'workload'
  | 'io-tasks'
  | 'io-few-libraries'
  | 'io-many-libraries'
  | 'cpu-isolation';

export type OutcomeId =
  | 'none'
  | 'measure'
  | 'io-async'
  | 'io-threads'
  | 'io-threads-bounded'
  | 'cpu-parallel'
  | 'cpu-isolated'
  | 'hybrid'
  | 'distributed';

export interface AnswerOption {
  /** The value edges use, e.g. `'yes'`, `'io'`, `'many'`. */
  readonly value: string;
  /** Short text for a button or a prompt. */
  readonly label: string;
}

export interface QuestionNode {
  readonly kind: 'question';
  readonly id: QuestionId;
  readonly text: string;
  /** A longer explanation, for a hint under the question. */
  readonly help: string;
  /** The explanation for one runtime, where it differs: show it instead of `help` once the runtime is known. */
  readonly runtimeHelp?: { readonly [R in Runtime]?: string };
  /** The field of {@link Answers} this question reads. */
  readonly field: AnswerField;
  readonly answers: readonly AnswerOption[];
}

export interface OutcomeNode {
  readonly kind: 'outcome';
  readonly id: OutcomeId;
  /** Short text for the chart, e.g. "asyncio / @forkroad/async". */
  readonly label: string;
  /** The model recommended here, per runtime (they differ for CPU work: Python has the GIL). */
  readonly model: { readonly [R in Runtime]: Model };
}

export type FlowNode = QuestionNode | OutcomeNode;

export interface Edge {
  readonly from: QuestionId;
  readonly to: QuestionId | OutcomeId;
  /** The {@link AnswerOption.value} that leads along this edge. */
  readonly answer: string;
}

export interface Flowchart {
  /** The id of the first question. */
  readonly start: QuestionId;
  readonly nodes: readonly FlowNode[];
  readonly edges: readonly Edge[];
}

/** The recommended tool for one runtime, with a short example. */
export interface Tool {
  /** e.g. `'@forkroad/threads'`, `'concurrent.futures.ProcessPoolExecutor'`, `'asyncio'`. */
  name: string;
  /** What to install to run the snippet (`npm install …` / `pip install …`); absent when nothing is needed. */
  package?: string;
  /** The language of {@link snippet}. */
  language: 'js' | 'python' | 'sh';
  snippet: string;
}

/** One question on the way to the outcome, with the answer that led on. */
export interface PathStep {
  /** The question's id in {@link Flowchart.nodes}. */
  question: QuestionId;
  /** The question's text. */
  text: string;
  /** The answer value given, or `'unanswered'`. */
  answer: string;
  /** When unanswered: the answer assumed to go on (also stated in the caveats). */
  assumed?: string;
  /** The answer in words, e.g. `'hundreds to thousands (5000 in flight)'` or `'unanswered (assumed: no)'`. */
  label: string;
}

/**
 * The other branch, when the answer to the workload question is not clear-cut: a measurement near
 * a threshold, at low confidence, or `mixed` without evidence of separate stages.
 */
export interface Alternative {
  /** The workload reading that leads here. */
  workload: 'io' | 'cpu' | 'mixed';
  outcome: OutcomeId;
  model: Model;
  summary: string;
  /** What would decide between this branch and the recommended one. */
  decidedBy: string;
}

export interface Decision {
  runtime: Runtime;
  /** The outcome node the path ends at. */
  outcome: OutcomeId;
  model: Model;
  /** One line: the recommendation in words. */
  summary: string;
  tool: Tool;
  path: PathStep[];
  rationale: string[];
  caveats: string[];
  /** Present when the workload reading is uncertain: the branch the other reading leads to. */
  alternative?: Alternative;
}
