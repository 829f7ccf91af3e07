import { flowchart, getNode, nextNode, type Runtime } from '@forkroad/decide';
import { writeSearch } from '../src/components/Advisor/state';

/** Answers by question id, e.g. `{ workload: 'cpu', 'cpu-isolation': 'no' }`. */
export type Choices = Record<string, string>;

/**
 * The answer to give a question: the test's choice, or, for a question the test does not name,
 * the one option that leads on to another question. So a test walks the branch it names,
 * whatever else the flowchart asks on the way.
 */
export function choose(questionId: string, choices: Choices): string {
  const chosen = choices[questionId];
  if (chosen !== undefined) return chosen;
  const node = getNode(flowchart, questionId);
  const onward =
    node?.kind === 'question'
      ? node.answers.filter((a) => nextNode(flowchart, questionId, a.value)?.kind === 'question')
      : [];
  if (onward.length !== 1) throw new Error(`the test must choose an answer to '${questionId}'`);
  return onward[0]!.value;
}

/**
 * The advisor's query string after answering from the start up to (not including) the question
 * `until`, or to the outcome.
 */
export function searchFor(runtime: Runtime, choices: Choices, until?: string): string {
  const steps = [];
  let node = getNode(flowchart, flowchart.start);
  while (node?.kind === 'question' && node.id !== until) {
    const value = choose(node.id, choices);
    steps.push({ question: node.id, value });
    node = nextNode(flowchart, node.id, value);
  }
  return writeSearch(runtime, steps);
}
