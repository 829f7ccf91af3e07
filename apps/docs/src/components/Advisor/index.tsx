import {
  type Answers,
  applyAnswer,
  type Decision,
  decide,
  flowchart,
  getNode,
  nextNode,
  type QuestionId,
  type QuestionNode,
  type Runtime,
} from '@forkroad/decide';
import CodeBlock from '@theme/CodeBlock';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import styles from './styles.module.css';

/** One answered question, in the order the reader answered them. */
interface Step {
  question: QuestionId;
  value: string;
}

const RUNTIME_LABELS: Record<Runtime, string> = { node: 'Node.js', python: 'Python' };
const CODE_LANGUAGE: Record<Decision['tool']['language'], string> = {
  js: 'js',
  python: 'python',
  sh: 'bash',
};

/** Replays the reader's answers over the flowchart: the answers so far, and the node reached. */
function walk(steps: readonly Step[]) {
  let answers: Partial<Answers> = {};
  let node = getNode(flowchart, flowchart.start);
  for (const step of steps) {
    answers = applyAnswer(answers, step.question, step.value);
    node = nextNode(flowchart, step.question, step.value);
  }
  return { answers, node };
}

function answerLabel(question: QuestionId, value: string): string {
  const node = getNode(flowchart, question);
  return node?.kind === 'question' ? (node.answers.find((a) => a.value === value)?.label ?? value) : value;
}

/**
 * Walks `@forkroad/decide`'s flowchart with the reader, one question at a time, and runs
 * `decide()` in the browser when an outcome is reached.
 */
export default function Advisor(): ReactNode {
  const [runtime, setRuntime] = useState<Runtime>('node');
  const [steps, setSteps] = useState<Step[]>([]);
  // Set once React has hydrated the page, so that a test (or an impatient reader) clicking
  // server-rendered buttons is not lost.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  const { answers, node } = useMemo(() => walk(steps), [steps]);
  const decision = useMemo<Decision | undefined>(
    () => (node?.kind === 'outcome' ? decide({ ...answers, runtime } as Answers) : undefined),
    [node, answers, runtime],
  );

  const answer = (question: QuestionNode, value: string) =>
    setSteps((previous) => [...previous, { question: question.id, value }]);

  return (
    <div className={styles.advisor} data-testid="advisor" data-ready={ready ? 'true' : 'false'}>
      <fieldset className={styles.runtime}>
        <legend>Runtime</legend>
        {(['node', 'python'] as const).map((r) => (
          <button
            key={r}
            type="button"
            className={`button ${runtime === r ? 'button--primary' : 'button--secondary'}`}
            aria-pressed={runtime === r}
            data-testid={`runtime-${r}`}
            onClick={() => setRuntime(r)}
          >
            {RUNTIME_LABELS[r]}
          </button>
        ))}
      </fieldset>

      {steps.length > 0 && (
        <ol className={styles.answered} data-testid="advisor-answers">
          {steps.map((step) => (
            <li key={step.question}>
              <span>{questionText(step.question)}</span>{' '}
              <strong>{answerLabel(step.question, step.value)}</strong>
            </li>
          ))}
        </ol>
      )}

      {node?.kind === 'question' && (
        <section className={styles.question} data-testid="advisor-question" data-question={node.id}>
          <h3>{node.text}</h3>
          <p className={styles.help}>{node.help}</p>
          <div className={styles.answers}>
            {node.answers.map((option) => (
              <button
                key={option.value}
                type="button"
                className="button button--outline button--primary"
                data-testid={`answer-${node.id}-${option.value}`}
                onClick={() => answer(node, option.value)}
              >
                {option.label}
              </button>
            ))}
          </div>
        </section>
      )}

      {decision && <Recommendation decision={decision} />}

      {steps.length > 0 && (
        <div className={styles.controls}>
          <button
            type="button"
            className="button button--sm button--secondary"
            data-testid="advisor-back"
            onClick={() => setSteps((previous) => previous.slice(0, -1))}
          >
            Back
          </button>
          <button
            type="button"
            className="button button--sm button--secondary"
            data-testid="advisor-restart"
            onClick={() => setSteps([])}
          >
            Start over
          </button>
        </div>
      )}
    </div>
  );
}

function questionText(id: QuestionId): string {
  const node = getNode(flowchart, id);
  return node?.kind === 'question' ? node.text : id;
}

function Recommendation({ decision }: { decision: Decision }): ReactNode {
  return (
    <section className={styles.result} data-testid="advisor-result" aria-live="polite">
      <h3>
        Recommendation:{' '}
        <span className={styles.model} data-testid="advisor-model">
          {decision.model}
        </span>
      </h3>
      <p data-testid="advisor-summary">{decision.summary}</p>
      <p>
        Tool: <code data-testid="advisor-tool">{decision.tool.name}</code>
        {decision.tool.package && (
          <>
            {' '}
            — install with <code data-testid="advisor-package">{decision.tool.package}</code>
          </>
        )}
      </p>
      <CodeBlock language={CODE_LANGUAGE[decision.tool.language]}>{decision.tool.snippet}</CodeBlock>
      <h4>The path</h4>
      <ol data-testid="advisor-path">
        {decision.path.map((step) => (
          <li key={step.question} data-question={step.question} data-answer={step.answer}>
            {step.text} <strong>{step.label}</strong>
          </li>
        ))}
      </ol>
      {decision.rationale.length > 0 && (
        <>
          <h4>Why</h4>
          <ul data-testid="advisor-rationale">
            {decision.rationale.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
      {decision.caveats.length > 0 && (
        <>
          <h4>Caveats</h4>
          <ul data-testid="advisor-caveats">
            {decision.caveats.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
