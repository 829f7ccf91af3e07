import { useHistory, useLocation } from '@docusaurus/router';
import useIsBrowser from '@docusaurus/useIsBrowser';
import { type Decision, decide, type QuestionNode, RUNTIMES, type Runtime } from '@forkroad/decide';
import { type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { MeasureHint } from './MeasureHint';
import { Recommendation } from './Recommendation';
import { answerLabel, questionText, readState, type Step, writeSearch } from './state';
import styles from './styles.module.css';
import { TaskCount } from './TaskCount';

const RUNTIME_LABELS: Record<Runtime, string> = { node: 'Node.js', python: 'Python' };

/**
 * Walks `@forkroad/decide`'s flowchart with the reader, one question at a time, and runs
 * `decide()` in the browser when an outcome is reached. The runtime and every answer live in the
 * query string, one history entry per answer: the browser's Back undoes an answer, a reload
 * keeps them, and the URL shares the result.
 */
export default function Advisor(): ReactNode {
  const location = useLocation();
  const history = useHistory();
  // The server renders the first question; the query string is read once the page is hydrated,
  // so the first client render matches the HTML.
  const isBrowser = useIsBrowser();
  const { runtime, steps, answers, node } = useMemo(
    () => readState(isBrowser ? location.search : ''),
    [isBrowser, location.search],
  );
  const decision = useMemo<Decision | undefined>(
    () =>
      node?.kind === 'outcome' ? decide({ ...answers, runtime } as Parameters<typeof decide>[0]) : undefined,
    [node, answers, runtime],
  );

  // After an answer, Back or Start over, focus goes to the next question or the result's
  // heading; the live region says where the reader is. A new runtime changes only what is
  // announced: focus stays on its button. Nothing moves on the first render.
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef<{ steps: string; where: string } | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');
  const where = decision
    ? `Recommendation: ${decision.model}. ${decision.summary}`
    : node?.kind === 'question'
      ? node.text
      : '';
  const answered = steps.map((step) => `${step.question}=${step.value}`).join('&');
  useEffect(() => {
    if (!isBrowser) return;
    const before = shown.current;
    shown.current = { steps: answered, where };
    if (before === undefined) return;
    if (before.steps !== answered) heading.current?.focus();
    if (before.steps !== answered || before.where !== where) setAnnouncement(where);
  }, [isBrowser, answered, where]);

  // One history entry per answer; a new runtime replaces the entry (Back undoes an answer).
  const go = (nextRuntime: Runtime, nextSteps: readonly Step[], replace = false) =>
    history[replace ? 'replace' : 'push']({
      pathname: location.pathname,
      search: writeSearch(nextRuntime, nextSteps),
      hash: '',
    });
  const answer = (question: QuestionNode, value: string) =>
    go(runtime, [...steps, { question: question.id, value }]);

  return (
    <div className={styles.advisor} data-testid="advisor" data-ready={isBrowser ? 'true' : 'false'}>
      <p className="sr-only" role="status" aria-live="polite" data-testid="advisor-status">
        {announcement}
      </p>
      <fieldset className={styles.runtime}>
        <legend>Runtime</legend>
        {RUNTIMES.map((r) => (
          <button
            key={r}
            type="button"
            className={`button ${runtime === r ? 'button--primary' : 'button--secondary'}`}
            aria-pressed={runtime === r}
            data-testid={`runtime-${r}`}
            onClick={() => runtime !== r && go(r, steps, true)}
          >
            {RUNTIME_LABELS[r] ?? r}
          </button>
        ))}
      </fieldset>

      {steps.length > 0 && (
        <ol className={styles.answered} data-testid="advisor-answers" aria-label="Your answers">
          {steps.map((step) => (
            <li key={step.question}>
              <span>{questionText(step.question)}</span> <strong>{answerLabel(step)}</strong>
            </li>
          ))}
        </ol>
      )}

      {node?.kind === 'question' && (
        <section className={styles.question} data-testid="advisor-question" data-question={node.id}>
          <h2 ref={heading} tabIndex={-1} className={styles.heading}>
            {node.text}
          </h2>
          <p className={styles.help}>{node.help}</p>
          <TaskCount node={node} onAnswer={(count) => answer(node, count)} />
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

      {decision && <Recommendation decision={decision} headingRef={heading} />}

      {steps.length > 0 && (
        <div className={styles.controls}>
          <button
            type="button"
            className="button button--sm button--secondary"
            data-testid="advisor-back"
            onClick={() => go(runtime, steps.slice(0, -1))}
          >
            Back
          </button>
          <button
            type="button"
            className="button button--sm button--secondary"
            data-testid="advisor-restart"
            onClick={() => go(runtime, [])}
          >
            Start over
          </button>
        </div>
      )}

      {decision?.outcome !== 'measure' && <MeasureHint runtime={runtime} />}
    </div>
  );
}
