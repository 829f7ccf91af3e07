import type { ReactNode } from 'react';
import type { BenchResults } from '../../lib/bench';
import styles from './styles.module.css';

/** A warning when the numbers are not from a full run. */
export default function ModeNote({ data }: { data: BenchResults }): ReactNode {
  if (data.mode === 'full') return null;
  return (
    <p className={styles.note}>
      These are <code>{data.mode}</code>-mode numbers: fewer, shorter runs. Expect noise; run{' '}
      <code>forkroad bench</code> for the full suites.
    </p>
  );
}
