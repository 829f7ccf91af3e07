import type { Decision } from '@forkroad/decide';
import CodeBlock from '@theme/CodeBlock';
import type { ReactNode, RefObject } from 'react';
import { MeasureHint } from './MeasureHint';
import styles from './styles.module.css';

const CODE_LANGUAGE: Record<Decision['tool']['language'], string> = {
  js: 'js',
  python: 'python',
  sh: 'bash',
};

/** What `decide()` answered: the model, the tool with its snippet, the path, the reasons and caveats. */
export function Recommendation({
  decision,
  headingRef,
}: {
  decision: Decision;
  headingRef: RefObject<HTMLHeadingElement | null>;
}): ReactNode {
  return (
    <section className={styles.result} data-testid="advisor-result">
      <h2 ref={headingRef} tabIndex={-1} className={styles.heading}>
        Recommendation:{' '}
        <span className={styles.model} data-testid="advisor-model">
          {decision.model}
        </span>
      </h2>
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
      {decision.outcome === 'measure' && <MeasureHint runtime={decision.runtime} />}
      <h3>The path</h3>
      <ol data-testid="advisor-path">
        {decision.path.map((step) => (
          <li key={step.question} data-question={step.question} data-answer={step.answer}>
            {step.text} <strong>{step.label}</strong>
          </li>
        ))}
      </ol>
      <Lines title="Why" testId="advisor-rationale" lines={decision.rationale} />
      <Lines title="Caveats" testId="advisor-caveats" lines={decision.caveats} />
    </section>
  );
}

/** A titled list of sentences, or nothing when there are none. */
function Lines({
  title,
  testId,
  lines,
}: {
  title: string;
  testId: string;
  lines: readonly string[];
}): ReactNode {
  if (lines.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul data-testid={testId}>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
}
