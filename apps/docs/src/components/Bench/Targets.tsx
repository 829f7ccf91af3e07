import Link from '@docusaurus/Link';
import { evaluateTargets } from '@forkroad/bench/report';
import type { ReactNode } from 'react';
import { type BenchResults, formatRatio, formatThreshold, SUITE_PAGES } from '../../lib/bench';
import { RESULT_SETS, type ResultSet } from '../../lib/bench-data';
import ModeNote from './ModeNote';
import styles from './styles.module.css';

/**
 * Issue 10's targets (and any other `@forkroad/bench` checks), evaluated at build time on each
 * results file the site has: one table per file, headed by the Node.js it ran on.
 */
export default function BenchTargets(): ReactNode {
  return (
    <>
      {(Object.keys(RESULT_SETS) as ResultSet[]).map((set) => (
        <TargetsTable key={set} set={set} />
      ))}
    </>
  );
}

/** The page of the suite that holds `experiment` in `data`. */
function experimentPage(data: BenchResults, experiment: string): string | undefined {
  const suite = data.suites.find((s) => s.experiments.some((e) => e.id === experiment));
  return suite && SUITE_PAGES[suite.id];
}

function TargetsTable({ set }: { set: ResultSet }): ReactNode {
  const data = RESULT_SETS[set];
  const targets = evaluateTargets(data);
  return (
    <section data-testid={`bench-targets-${set}`} data-node={data.machine.node}>
      <h3 id={`targets-${set}`}>On Node.js {data.machine.node}</h3>
      <p className={styles.note}>
        From <code>results/{set}.json</code>: <code>{data.mode}</code> mode, generated {data.generatedAt},
        suites {data.suites.map((s) => s.id).join(', ')}. A target whose experiment the file does not hold is
        left out.
      </p>
      <ModeNote data={data} />
      {targets.length === 0 ? (
        <p>This file holds no experiment that a target is checked on.</p>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>target</th>
              <th>measured</th>
              <th>threshold</th>
              <th>result</th>
              <th>the numbers behind it</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((target) => {
              const page = experimentPage(data, target.experiment);
              return (
                <tr key={target.id} data-testid={`bench-target-${set}-${target.id}`} data-met={target.met}>
                  <td>
                    {target.description}
                    <br />
                    <span className={styles.details}>
                      {page ? (
                        <Link to={page}>
                          <code>{target.experiment}</code>
                        </Link>
                      ) : (
                        <code>{target.experiment}</code>
                      )}
                    </span>
                  </td>
                  <td data-cell="value">{formatRatio(target.value)}</td>
                  <td data-cell="threshold">{formatThreshold(target)}</td>
                  <td data-cell="met">{target.met ? 'met' : <strong>NOT met</strong>}</td>
                  <td data-cell="numbers">{target.numbers}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
