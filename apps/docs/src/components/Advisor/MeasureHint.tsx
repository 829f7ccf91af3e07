import Link from '@docusaurus/Link';
import type { Runtime } from '@forkroad/decide';
import CodeBlock from '@theme/CodeBlock';
import type { ReactNode } from 'react';
import styles from './styles.module.css';

/** The command that measures a script of this runtime. */
const COMMAND: Record<Runtime, string> = {
  node: 'npx forkroad classify -- node your-script.js',
  python: 'npx forkroad classify -- python3 your_script.py',
};

/** How to find out whether the work is I/O- or CPU-bound: `forkroad classify`, for the runtime chosen. */
export function MeasureHint({ runtime }: { runtime: Runtime }): ReactNode {
  return (
    <div className={styles.measure} data-testid="advisor-measure">
      <p>
        Not sure whether your work is I/O-bound or CPU-bound? Measure it with{' '}
        <Link to="/docs/cli#forkroad-classify">
          <code>forkroad classify</code>
        </Link>
        , which runs your program and reports what it spent its time on:
      </p>
      <CodeBlock language="bash">{COMMAND[runtime]}</CodeBlock>
    </div>
  );
}
