import {
  type Answers,
  applyAnswer,
  decide,
  flowchart,
  getNode,
  RUNTIMES,
  type Runtime,
  UNANSWERED,
} from '@forkroad/decide';
import { type Choice, type PromptIO, select } from './prompt.js';

const RUNTIME_LABELS: Record<Runtime, string> = { node: 'Node.js', python: 'Python' };
const NOT_SURE = "Not sure (skip: I'll state the assumption)";

/** Asks which runtime to advise for (it is not a flowchart question: every outcome has both). */
export function askRuntime(io: PromptIO): Promise<Runtime> {
  const choices = RUNTIMES.map((r) => ({ label: RUNTIME_LABELS[r], value: r }));
  return select(io, 'Which runtime?', choices);
}

/**
 * Completes the answers by asking, in flowchart order, each question on the path that they leave
 * unanswered. The path comes from `decide` itself, so only the questions that matter are asked.
 * The cursor starts on the answer `decide` would assume for this runtime (Python's libraries
 * block, Node's are async), and the hint is the runtime's own. Every question but the workload
 * (which has its own "I don't know") can be skipped; a skipped question stays unanswered and the
 * decision states what it assumed.
 */
export async function askMissing(io: PromptIO, given: Partial<Answers>): Promise<Answers> {
  let answers = { ...given };
  if (answers.runtime === undefined) answers.runtime = await askRuntime(io);
  const { runtime } = answers;
  const skipped = new Set<string>();
  for (;;) {
    const step = decide(answers as Answers).path.find(
      (s) => s.answer === UNANSWERED && !skipped.has(s.question),
    );
    if (step === undefined) return answers as Answers;
    const node = getNode(flowchart, step.question);
    if (node?.kind !== 'question') return answers as Answers;
    const choices: Choice<string>[] = node.answers.map((a) => ({ label: a.label, value: a.value }));
    if (node.field !== 'workload') choices.push({ label: NOT_SURE, value: UNANSWERED });
    const help = node.runtimeHelp?.[runtime] ?? node.help;
    const initial = Math.max(
      0,
      node.answers.findIndex((a) => a.value === step.assumed),
    );
    const value = await select(io, node.text, choices, help, initial);
    if (value === UNANSWERED) skipped.add(node.id);
    else answers = applyAnswer(answers, node.id, value);
  }
}

const READINGS = {
  io: 'I/O-bound: each task mostly waits',
  cpu: 'CPU-bound: each task mostly computes',
  mixed: 'A pipeline: separate I/O and CPU stages',
} as const;

/**
 * When the measurement is not clear-cut, asks which reading fits the program — the measured one
 * or the other branch — with what decides between them as the hint. Choosing the other branch
 * answers the workload question by hand.
 */
export async function askReading(io: PromptIO, answers: Answers): Promise<Answers> {
  const decision = decide(answers);
  const other = decision.alternative;
  if (other === undefined) return answers;
  const measured = decision.path.find((step) => step.question === 'workload')?.answer;
  const label = (reading: string) => READINGS[reading as keyof typeof READINGS] ?? reading;
  const choice = await select(
    io,
    'The measurement is not clear-cut. Which fits the program?',
    [
      { label: `${label(measured ?? '')} (as measured → ${decision.model})`, value: 'measured' },
      { label: `${label(other.workload)} (→ ${other.model})`, value: 'other' },
    ],
    other.decidedBy,
  );
  return choice === 'other' ? { ...answers, workload: other.workload } : answers;
}
