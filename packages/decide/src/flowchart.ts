import { MANY_TASKS_IN_FLIGHT } from './thresholds.js';
import type { Edge, Flowchart, FlowNode, OutcomeNode, QuestionNode } from './types.js';

const YES_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

const LIBRARIES = {
  text: 'Are the libraries you call async, or do they block?',
  help:
    'Python: aiohttp, httpx.AsyncClient and asyncpg are async; requests and psycopg2 block. ' +
    'Node.js: fetch, fs/promises and most database drivers are async; fs.*Sync, execSync and ' +
    'synchronous native addons (better-sqlite3, …) block.',
  runtimeHelp: {
    python:
      'Most Python libraries block: requests, urllib, psycopg2, boto3, open(). Async ones are ' +
      'awaited: aiohttp, httpx.AsyncClient, asyncpg, aiofiles.',
    node:
      'Most Node.js I/O is async: fetch, fs/promises, most database drivers. fs.*Sync, execSync and ' +
      'synchronous native addons (better-sqlite3, …) block.',
  },
  field: 'blockingLibraries',
  answers: [
    { value: 'async', label: 'Async' },
    { value: 'blocking', label: 'They block' },
  ],
} as const;

const questions: readonly QuestionNode[] = [
  {
    kind: 'question',
    id: 'fast-enough',
    text: 'Is it already fast enough?',
    help: 'If it already meets its deadline, concurrency only adds complexity and new ways to fail. Measure before you change it.',
    field: 'fastEnough',
    answers: [
      { value: 'yes', label: 'Yes, it is fast enough' },
      { value: 'no', label: 'No, it needs to be faster' },
    ],
  },
  {
    kind: 'question',
    id: 'beyond-one-machine',
    text: 'Does the work outgrow one machine, or must it outlive the caller (background jobs)?',
    help:
      'Background jobs (a web request that queues an email or a report), work that survives a restart, ' +
      'or more work than one machine can do: these need a job queue and workers on other machines.',
    field: 'beyondOneMachine',
    answers: [
      { value: 'yes', label: 'Yes: a job queue and workers elsewhere' },
      { value: 'no', label: 'No: one machine, while the caller waits' },
    ],
  },
  {
    kind: 'question',
    id: 'workload',
    text: 'Is the work CPU-bound, I/O-bound, or both?',
    help:
      'I/O-bound work spends its time waiting (network, disk, a database); CPU-bound work spends it ' +
      'computing. Not sure? Measure it: forkroad classify -- <command>.',
    field: 'workload',
    answers: [
      { value: 'io', label: 'I/O-bound: mostly waiting' },
      { value: 'cpu', label: 'CPU-bound: mostly computing' },
      { value: 'mixed', label: 'Both: I/O stages and CPU stages' },
      { value: 'unknown', label: "I don't know" },
    ],
  },
  {
    kind: 'question',
    id: 'io-tasks',
    text: 'How many tasks are in flight at once?',
    help: 'Count the requests, queries or files you want waiting at the same time.',
    field: 'tasksInFlight',
    // The labels are the engine's threshold, so the chart and `decide` cannot disagree.
    answers: [
      { value: 'one', label: 'One at a time' },
      { value: 'few', label: `2 to ${(MANY_TASKS_IN_FLIGHT - 1).toLocaleString('en-US')}` },
      { value: 'many', label: `${MANY_TASKS_IN_FLIGHT.toLocaleString('en-US')} or more` },
    ],
  },
  { kind: 'question', id: 'io-few-libraries', ...LIBRARIES },
  { kind: 'question', id: 'io-many-libraries', ...LIBRARIES },
  {
    kind: 'question',
    id: 'cpu-isolation',
    text: 'Does the CPU work need isolation: native code that may crash or is not thread-safe, a memory limit per task, or running other programs?',
    help: 'A process contains a crash, can have its own memory limit, and can run any program; a thread shares all of that with its process.',
    field: 'isolation',
    answers: YES_NO,
  },
];

const outcomes: readonly OutcomeNode[] = [
  {
    kind: 'outcome',
    id: 'none',
    label: 'No concurrency: keep it simple',
    model: { node: 'none', python: 'none' },
  },
  {
    kind: 'outcome',
    id: 'measure',
    label: 'Measure first: forkroad classify',
    model: { node: 'none', python: 'none' },
  },
  {
    kind: 'outcome',
    id: 'io-async',
    label: 'Async: asyncio / @forkroad/async',
    model: { node: 'async', python: 'async' },
  },
  {
    kind: 'outcome',
    id: 'io-threads',
    label: 'Threads: ThreadPoolExecutor / @forkroad/threads',
    model: { node: 'threads', python: 'threads' },
  },
  {
    kind: 'outcome',
    id: 'io-threads-bounded',
    label: 'A bounded thread pool, or switch to async libraries',
    model: { node: 'threads', python: 'threads' },
  },
  {
    kind: 'outcome',
    id: 'cpu-parallel',
    label: 'Parallel: worker threads (Node: @forkroad/threads) / processes (Python: ProcessPoolExecutor)',
    model: { node: 'threads', python: 'processes' },
  },
  {
    kind: 'outcome',
    id: 'cpu-isolated',
    label: 'Processes: ProcessPoolExecutor / @forkroad/processes',
    model: { node: 'processes', python: 'processes' },
  },
  {
    kind: 'outcome',
    id: 'hybrid',
    label: 'Hybrid: async I/O stages feeding a CPU pool',
    model: { node: 'hybrid', python: 'hybrid' },
  },
  {
    kind: 'outcome',
    id: 'distributed',
    label: 'Distributed: a job queue and workers (Celery / @forkroad/distributed)',
    model: { node: 'distributed', python: 'distributed' },
  },
];

const edges: readonly Edge[] = [
  { from: 'fast-enough', to: 'none', answer: 'yes' },
  { from: 'fast-enough', to: 'beyond-one-machine', answer: 'no' },
  { from: 'beyond-one-machine', to: 'distributed', answer: 'yes' },
  { from: 'beyond-one-machine', to: 'workload', answer: 'no' },
  { from: 'workload', to: 'io-tasks', answer: 'io' },
  { from: 'workload', to: 'cpu-isolation', answer: 'cpu' },
  { from: 'workload', to: 'hybrid', answer: 'mixed' },
  { from: 'workload', to: 'measure', answer: 'unknown' },
  { from: 'io-tasks', to: 'none', answer: 'one' },
  { from: 'io-tasks', to: 'io-few-libraries', answer: 'few' },
  { from: 'io-tasks', to: 'io-many-libraries', answer: 'many' },
  { from: 'io-few-libraries', to: 'io-async', answer: 'async' },
  { from: 'io-few-libraries', to: 'io-threads', answer: 'blocking' },
  { from: 'io-many-libraries', to: 'io-async', answer: 'async' },
  { from: 'io-many-libraries', to: 'io-threads-bounded', answer: 'blocking' },
  { from: 'cpu-isolation', to: 'cpu-parallel', answer: 'no' },
  { from: 'cpu-isolation', to: 'cpu-isolated', answer: 'yes' },
];

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The guide's decision as data: questions (with their answers) and outcomes (with the model per
 * runtime), joined by edges labelled with an answer value. Walk it from `start`; the docs draw it
 * with {@link toMermaid}. Frozen: copy it before changing anything.
 */
export const flowchart: Flowchart = /* @__PURE__ */ deepFreeze({
  start: 'fast-enough',
  nodes: [...questions, ...outcomes] as FlowNode[],
  edges: [...edges],
});

/** The node with this id, or `undefined`. */
export function getNode(chart: Flowchart, id: string): FlowNode | undefined {
  return chart.nodes.find((node) => node.id === id);
}

/**
 * The node an answer leads to from a question, or `undefined` when the node is not a question
 * or the answer is not one of its answers.
 */
export function nextNode(chart: Flowchart, from: string, answer: string): FlowNode | undefined {
  const edge = chart.edges.find((e) => e.from === from && e.answer === answer);
  return edge === undefined ? undefined : getNode(chart, edge.to);
}

function escapeLabel(text: string): string {
  // Mermaid entity codes: #NN; is decoded in labels, so nothing in the text can end the label.
  return text.replace(/\s+/g, ' ').replace(/["#&<>|`]/g, (c) => `#${c.charCodeAt(0)};`);
}

/**
 * The flowchart as Mermaid source (`flowchart TD`): questions as rhombuses, outcomes as rounded
 * boxes, edges labelled with the answer. Node ids are sanitized to letters, digits and `_`
 * (kept unique); labels are escaped with Mermaid entity codes.
 */
export function toMermaid(chart: Flowchart): string {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of chart.nodes) {
    const base = `n_${node.id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    ids.set(node.id, id);
  }
  const lines = ['flowchart TD'];
  for (const node of chart.nodes) {
    const id = ids.get(node.id)!;
    lines.push(
      node.kind === 'question'
        ? `  ${id}{"${escapeLabel(node.text)}"}`
        : `  ${id}(["${escapeLabel(node.label)}"])`,
    );
  }
  for (const edge of chart.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (from === undefined || to === undefined) continue;
    const source = getNode(chart, edge.from);
    const option =
      source?.kind === 'question' ? source.answers.find((a) => a.value === edge.answer) : undefined;
    lines.push(`  ${from} -->|"${escapeLabel(option?.label ?? edge.answer)}"| ${to}`);
  }
  return `${lines.join('\n')}\n`;
}
