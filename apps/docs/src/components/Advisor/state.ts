import {
  type Answers,
  applyAnswer,
  decide,
  type FlowNode,
  flowchart,
  getNode,
  nextNode,
  type QuestionId,
  type QuestionNode,
  RUNTIMES,
  type Runtime,
} from '@forkroad/decide';

/** One answered question, in the order the reader answered them. */
export interface Step {
  question: QuestionId;
  /** An answer's value, or for a question that takes a count, the count typed (`'5000'`). */
  value: string;
}

/** Everything the advisor shows, read from the page's query string. */
export interface AdvisorState {
  runtime: Runtime;
  steps: Step[];
  answers: Partial<Answers>;
  /** The node reached: the next question, or the outcome. */
  node: FlowNode | undefined;
}

/** Questions whose answer is a count (tasks in flight): the reader may type the number. */
export function takesCount(node: QuestionNode): boolean {
  return node.field === 'tasksInFlight';
}

/** A positive whole number typed by the reader, or undefined. */
export function parseCount(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const count = Number(trimmed);
  return Number.isSafeInteger(count) && count >= 1 ? count : undefined;
}

/**
 * The answer value an edge is labelled with. A typed count falls in one of the question's
 * ranges; the engine says which (its threshold is not repeated here).
 */
function edgeAnswer(
  node: QuestionNode,
  value: string,
  answers: Partial<Answers>,
  runtime: Runtime,
): string | undefined {
  if (node.answers.some((a) => a.value === value)) return value;
  const count = takesCount(node) ? parseCount(value) : undefined;
  if (count === undefined) return undefined;
  try {
    const decision = decide({ ...answers, runtime, [node.field]: count } as Answers);
    return decision.path.find((step) => step.question === node.id)?.answer;
  } catch {
    return undefined;
  }
}

/**
 * Reads `?runtime=python&fast-enough=no&workload=io&io-tasks=5000…`: the runtime, then each
 * question's answer under the question's id, walked from the flowchart's start. The walk stops
 * at the first question without a valid answer, so a hand-edited URL never shows a wrong path.
 */
export function readState(search: string): AdvisorState {
  const params = new URLSearchParams(search);
  const asked = params.get('runtime');
  const runtime = RUNTIMES.find((r) => r === asked) ?? 'node';
  const steps: Step[] = [];
  let answers: Partial<Answers> = {};
  let node = getNode(flowchart, flowchart.start);
  while (node?.kind === 'question') {
    const value = params.get(node.id);
    const answer = value === null ? undefined : edgeAnswer(node, value, answers, runtime);
    if (value === null || answer === undefined) break;
    answers = applyAnswer(answers, node.id, answer);
    const count = answer === value ? undefined : parseCount(value);
    if (count !== undefined) answers = { ...answers, [node.field]: count };
    steps.push({ question: node.id, value });
    node = nextNode(flowchart, node.id, answer);
  }
  return { runtime, steps, answers, node };
}

/** The query string for a runtime and the answers so far (the inverse of {@link readState}). */
export function writeSearch(runtime: Runtime, steps: readonly Step[]): string {
  const params = new URLSearchParams({ runtime });
  for (const step of steps) params.set(step.question, step.value);
  return `?${params.toString()}`;
}

/** The answer in words: the option's label, or the typed count. */
export function answerLabel(step: Step): string {
  const node = getNode(flowchart, step.question);
  if (node?.kind !== 'question') return step.value;
  const option = node.answers.find((a) => a.value === step.value);
  return option?.label ?? `${step.value} tasks`;
}

export function questionText(id: QuestionId): string {
  const node = getNode(flowchart, id);
  return node?.kind === 'question' ? node.text : id;
}
