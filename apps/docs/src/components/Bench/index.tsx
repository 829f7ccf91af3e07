import Link from '@docusaurus/Link';
import type { ReactNode } from 'react';
import {
  type BenchResults,
  describeMachine,
  type Experiment,
  formatBytes,
  formatCell,
  formatDetails,
  formatLoad,
  formatNumber,
  formatParam,
  formatRange,
  formatRatio,
  headerUnit,
  inSet,
  isSkipped,
  lowerIsBetter,
  rowTestId,
  SUITE_PAGES,
  type Suite,
  type SuiteId,
} from '../../lib/bench';
import { findSuite, RESULT_SETS, type ResultSet, results } from '../../lib/bench-data';
import BarChart from './BarChart';
import ModeNote from './ModeNote';
import SizeChart, { sizeSeries } from './SizeChart';
import SpeedupChart, { speedupSeries } from './SpeedupChart';
import styles from './styles.module.css';

export { default as BenchTargets } from './Targets';

/** The machine and run the results were measured on. */
export function Machine({ data = results }: { data?: BenchResults }): ReactNode {
  const { machine } = data;
  return (
    <div className={styles.machine} data-testid="bench-machine">
      <p>
        Measured on <strong>{describeMachine(machine)}</strong>.
      </p>
      <table>
        <tbody>
          <tr>
            <th scope="row">CPU</th>
            <td>{machine.cpuModel}</td>
          </tr>
          <tr>
            <th scope="row">cores</th>
            <td>{machine.cores}</td>
          </tr>
          <tr>
            <th scope="row">memory</th>
            <td>{formatBytes(machine.memoryBytes)}</td>
          </tr>
          <tr>
            <th scope="row">platform</th>
            <td>
              {machine.platform}/{machine.arch}
            </td>
          </tr>
          <tr>
            <th scope="row">Node.js</th>
            <td>{machine.node}</td>
          </tr>
          <tr>
            <th scope="row">Python</th>
            <td>{machine.python ?? 'not measured (no python3 found)'}</td>
          </tr>
          <tr>
            <th scope="row">commit</th>
            <td>{machine.commit ? <code>{machine.commit.slice(0, 12)}</code> : 'unknown'}</td>
          </tr>
          <tr>
            <th scope="row">run</th>
            <td>
              <code>{data.mode}</code> mode, generated {data.generatedAt}
              {data.durationMs !== undefined && `, took ${formatNumber(data.durationMs / 1000)} s`}
            </td>
          </tr>
          {machine.loadAverage && (
            <tr>
              <th scope="row">load average</th>
              <td>
                {formatLoad(machine.loadAverage)} (1 / 5 / 15 min) at the start
                {machine.loadAverageAfter && `; ${formatLoad(machine.loadAverageAfter)} at the end`}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <ModeNote data={data} />
    </div>
  );
}

/** The list of suites with their status and a link to each page. */
export function SuiteIndex({ data = results }: { data?: BenchResults }): ReactNode {
  return (
    <ul data-testid="bench-suites">
      {data.suites.map((suite) => (
        <li key={suite.id}>
          <Link to={SUITE_PAGES[suite.id]}>{suite.title}</Link>
          {suite.status === 'skipped' ? ` — skipped${suite.note ? `: ${suite.note}` : ''}` : ''} (
          {suite.experiments.length} experiment{suite.experiments.length === 1 ? '' : 's'})
        </li>
      ))}
    </ul>
  );
}

/**
 * One suite of a results file — `results="node24"`: the Node 24 file, under a heading naming its
 * Node; default: the main file — every experiment as a chart and a table.
 */
export function BenchSuite({ id, results: set = 'latest' }: { id: SuiteId; results?: ResultSet }): ReactNode {
  const suite = findSuite(id, set);
  if (!suite) {
    return (
      <div
        className="alert alert--warning"
        data-testid={`bench-suite-${inSet(id, set)}`}
        data-status="missing"
      >
        The results file <code>results/{set}.json</code> has no <code>{id}</code> suite. Run{' '}
        <code>forkroad bench --suite {id}</code> into it and rebuild.
      </div>
    );
  }
  return <SuiteView suite={suite} set={set} />;
}

function SuiteView({ suite, set }: { suite: Suite; set: ResultSet }): ReactNode {
  const data = RESULT_SETS[set];
  const main = set === 'latest';
  return (
    <div
      data-testid={`bench-suite-${inSet(suite.id, set)}`}
      data-status={suite.status}
      data-node={data.machine.node}
    >
      {!main && <h2 id={inSet(suite.id, set)}>On Node.js {data.machine.node}</h2>}
      <p className={styles.note}>
        Measured on {describeMachine(data.machine)}, Node.js {data.machine.node}
        {data.machine.python ? `, Python ${data.machine.python}` : ''}; <code>{data.mode}</code> mode
        {!main && (
          <>
            , from <code>results/{set}.json</code>
          </>
        )}
        . Details on the <Link to="/docs/benchmarks">benchmarks page</Link>.
      </p>
      {!main && <ModeNote data={data} />}
      {suite.status === 'skipped' && (
        <div className="alert alert--info">This suite was skipped{suite.note ? `: ${suite.note}` : '.'}</div>
      )}
      {suite.note && suite.status !== 'skipped' && <p>{suite.note}</p>}
      {suite.experiments.map((experiment) => (
        <ExperimentView key={experiment.id} experiment={experiment} set={set} />
      ))}
    </div>
  );
}

/**
 * Speedups as curves by number of workers, one chart per runtime; times by payload size on
 * log-log axes; anything else as bars (on a log scale when the values span orders of magnitude).
 */
function ExperimentChart({ experiment }: { experiment: Experiment }): ReactNode {
  const runtimes = (['node', 'python'] as const).filter((r) => speedupSeries(experiment, r).length > 0);
  if (runtimes.length > 0) {
    return (
      <div className={styles.chartRow}>
        {runtimes.map((runtime) => (
          <SpeedupChart key={runtime} experiment={experiment} runtime={runtime} />
        ))}
      </div>
    );
  }
  if (sizeSeries(experiment).length > 0) return <SizeChart experiment={experiment} />;
  return <BarChart experiment={experiment} />;
}

function ExperimentView({ experiment, set }: { experiment: Experiment; set: ResultSet }): ReactNode {
  const params = Object.entries(experiment.params);
  const hasRatio = experiment.rows.some((row) => row.ratio !== undefined);
  // The baseline names a row by label: Node.js rows are against the Node.js row with that label,
  // Python rows against the Python one.
  const hasPython = experiment.rows.some((row) => row.runtime === 'python');
  const unit = headerUnit(experiment.unit);
  const unitLabel = unit ? ` (${unit})` : '';
  return (
    <section className={styles.experiment} data-testid={`bench-experiment-${experiment.id}`}>
      {/* Under another file's heading, one level down. */}
      {set === 'latest' ? (
        <h2 id={experiment.id}>{experiment.title}</h2>
      ) : (
        <h3 id={inSet(experiment.id, set)}>{experiment.title}</h3>
      )}
      <p>{experiment.description}</p>
      {params.length > 0 && (
        <p className={styles.params}>
          {params.map(([key, value]) => (
            <span key={key}>
              <code>
                {key} = {formatParam(value)}
              </code>{' '}
            </span>
          ))}
        </p>
      )}
      <ExperimentChart experiment={experiment} />
      <table className={styles.table}>
        <thead>
          <tr>
            <th>run</th>
            <th>model</th>
            <th>median{unitLabel}</th>
            <th>min – max{unitLabel}</th>
            <th title="samples">n</th>
            {hasRatio && <th>{experiment.ratioLabel ?? `vs ${experiment.baseline ?? 'baseline'}`}</th>}
          </tr>
        </thead>
        <tbody>
          {experiment.rows.map((row, index) => (
            <tr
              key={`${row.runtime}-${row.label}`}
              data-testid={rowTestId(experiment, index)}
              className={isSkipped(row) ? styles.skipped : undefined}
            >
              <td>
                {row.label}
                {row.label === experiment.baseline && <span className={styles.badge}>baseline</span>}
                <br />
                <span className={styles.runtime}>{row.runtime === 'node' ? 'Node.js' : 'Python'}</span>{' '}
                <code className={styles.tool}>{row.tool}</code>
                {row.details && Object.keys(row.details).length > 0 && (
                  <>
                    <br />
                    <span className={styles.details} data-cell="details">
                      {formatDetails(row.details)}
                    </span>
                  </>
                )}
              </td>
              <td>{row.model}</td>
              {isSkipped(row) ? (
                <td colSpan={hasRatio ? 4 : 3} data-cell="skipped">
                  skipped{row.note ? `: ${row.note}` : ''}
                </td>
              ) : (
                <>
                  <td data-cell="median">{formatCell(row.median, experiment.unit)}</td>
                  <td data-cell="range">{formatRange(row, experiment.unit)}</td>
                  <td data-cell="samples">{row.samples}</td>
                  {hasRatio && (
                    <td data-cell="ratio">{row.ratio === undefined ? '—' : formatRatio(row.ratio)}</td>
                  )}
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.note}>
        {lowerIsBetter(experiment.unit) ? 'Lower is better.' : 'Higher is better.'} Median of the samples; the
        range is the fastest and slowest sample.
        {hasRatio && experiment.baseline
          ? ` Ratios are against the ${experiment.baseline} row${hasPython ? ' of the same runtime' : ''}.`
          : ''}
      </p>
      {experiment.rows.some((row) => row.note && !isSkipped(row)) && (
        <ul className={styles.rowNotes}>
          {experiment.rows
            .filter((row) => row.note && !isSkipped(row))
            .map((row) => (
              <li key={`${row.runtime}-${row.label}`}>
                <strong>{row.label}:</strong> {row.note}
              </li>
            ))}
        </ul>
      )}
      {experiment.notes.length > 0 && (
        <ul>
          {experiment.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
