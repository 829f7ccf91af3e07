import Link from '@docusaurus/Link';
import type { ReactNode } from 'react';
import type { BenchResults } from '../../lib/bench';
import { results } from '../../lib/bench-data';
import { machineCaveats, measuredFacts, separatelyMeasured } from '../../lib/claims';

const facts = measuredFacts(results);

/** One measured value in a sentence, from the results JSON (see src/lib/claims.ts). */
export function M({ fact }: { fact: string }): ReactNode {
  const value = facts[fact];
  if (value === undefined) {
    return (
      <span data-fact={fact} data-missing="true">
        (not measured)
      </span>
    );
  }
  return <span data-fact={fact}>{value}</span>;
}

/** Which machine the numbers on a page come from, and whether it was small or busy. */
export function MachineNote({ data = results }: { data?: BenchResults }): ReactNode {
  const { small, busy, load } = machineCaveats(data);
  const { cores } = data.machine;
  const apart = separatelyMeasured(data);
  return (
    <div className="alert alert--secondary" data-testid="machine-note">
      The numbers on this page come from <Link to="/docs/benchmarks">one benchmark run</Link> on {cores} cores
      {data.machine.python ? `, Node.js ${data.machine.node} and Python ${data.machine.python}` : ''}.
      {small &&
        ` With ${cores} cores, no parallel model can go past ${cores}×: on a bigger machine the parallel rows go further.`}
      {busy &&
        ` The machine was shared while it ran (load average ${load?.toFixed(2)} at the start, on ${cores} cores), so absolute times are noisy: compare the ratios, and the spread between the fastest and slowest samples on the benchmark pages.`}
      {apart.length > 0 && (
        <>
          {' '}
          The {apart.map((suite) => suite.title.toLowerCase()).join(' and ')} numbers come from a separate
          run, on another machine or at another time (their benchmark pages say which): compare them with each
          other; against the rest, only orders of magnitude carry over.
        </>
      )}
    </div>
  );
}

interface Cell {
  /** Words before the first fact. */
  label?: string;
  fact?: string;
  /** Measured facts shown after the first, each with its own words. */
  more?: { fact: string; words: string }[];
  text?: string;
}

interface ComparisonRow {
  model: string;
  runtime: 'Python' | 'Node.js';
  tool: string;
  memory: Cell;
  startup: Cell;
  roundTrip: Cell;
  howMany: ReactNode;
}

function CellView({ cell }: { cell: Cell }): ReactNode {
  return (
    <>
      {cell.label && `${cell.label} `}
      {cell.fact ? <M fact={cell.fact} /> : (cell.text ?? '—')}
      {cell.more?.map(({ fact, words }) => (
        <span key={fact}>
          <br />
          <small>
            {words} <M fact={fact} />
          </small>
        </span>
      ))}
    </>
  );
}

/** A parallel model's limit: one worker per core, and the speedup it reached with that many. */
function PerCore({ fact }: { fact: string }): ReactNode {
  return (
    <>
      one per core: <M fact={fact} /> with {facts['machine.cores']} on CPU work
    </>
  );
}

const ROWS: ComparisonRow[] = [
  {
    model: 'one thread, cooperative',
    runtime: 'Python',
    tool: 'asyncio task (coroutine)',
    memory: { fact: 'memory.python.coroutine' },
    startup: { text: 'none: a coroutine object' },
    roundTrip: { text: 'none: same thread' },
    howMany: (
      <>
        thousands: <M fact="io.many.requests" /> waits of <M fact="io.many.delay" /> took{' '}
        <M fact="io.many.async.python" />
      </>
    ),
  },
  {
    model: 'one thread, cooperative',
    runtime: 'Node.js',
    tool: 'pending promise (async function)',
    memory: {
      fact: 'memory.node.promise',
      more: [{ fact: 'memory.node.asyncTask', words: '@forkroad/async task:' }],
    },
    startup: { fact: 'startup.node.async' },
    roundTrip: { text: 'none: same thread' },
    howMany: (
      <>
        thousands: <M fact="io.many.requests" /> waits of <M fact="io.many.delay" /> took{' '}
        <M fact="io.many.async.node" />
      </>
    ),
  },
  {
    model: 'threads',
    runtime: 'Python',
    tool: 'ThreadPoolExecutor',
    memory: {
      fact: 'memory.python.thread',
      more: [{ fact: 'memory.python.threadVirtual', words: 'address space reserved:' }],
    },
    startup: { fact: 'startup.python.threads' },
    roundTrip: { fact: 'roundTrip.python.threads' },
    howMany: (
      <>
        tens to hundreds for blocking I/O; CPU work does not scale (GIL):{' '}
        <M fact="cpu.python.threads.speedup" /> with {facts['machine.cores']} threads
      </>
    ),
  },
  {
    model: 'threads',
    runtime: 'Node.js',
    tool: 'worker thread (@forkroad/threads)',
    memory: { fact: 'memory.node.thread' },
    startup: { fact: 'startup.node.threads' },
    roundTrip: { fact: 'roundTrip.node.threads' },
    howMany: <PerCore fact="cpu.node.threads.speedup" />,
  },
  {
    model: 'processes',
    runtime: 'Python',
    tool: 'ProcessPoolExecutor',
    memory: {
      fact: 'memory.python.process',
      more: [{ fact: 'memory.python.processPss', words: 'not shared (PSS):' }],
    },
    startup: {
      label: 'fork:',
      fact: 'startup.python.fork',
      more: [
        { fact: 'startup.python.forkserver', words: 'forkserver:' },
        { fact: 'startup.python.spawn', words: 'spawn:' },
      ],
    },
    roundTrip: { fact: 'roundTrip.python.processes' },
    howMany: <PerCore fact="cpu.python.processes.speedup" />,
  },
  {
    model: 'processes',
    runtime: 'Node.js',
    tool: 'child process (@forkroad/processes)',
    memory: {
      fact: 'memory.node.process',
      more: [{ fact: 'memory.node.processPss', words: 'not shared (PSS):' }],
    },
    startup: { fact: 'startup.node.processes' },
    roundTrip: { fact: 'roundTrip.node.processes' },
    howMany: <PerCore fact="cpu.node.processes.speedup" />,
  },
];

/** The source's comparison table, every measurable cell from this machine's results. */
export function ComparisonTable(): ReactNode {
  return (
    <table data-testid="comparison-table">
      <thead>
        <tr>
          <th>model</th>
          <th>runtime</th>
          <th>memory per unit</th>
          <th>start-up (fresh pool, first result)</th>
          <th>round trip per task (warm pool)</th>
          <th>how many at once</th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map((row) => (
          <tr key={`${row.model}-${row.runtime}`}>
            <td>
              {row.model}
              <br />
              <small>{row.tool}</small>
            </td>
            <td>{row.runtime}</td>
            <td>
              <CellView cell={row.memory} />
            </td>
            <td>
              <CellView cell={row.startup} />
            </td>
            <td>
              <CellView cell={row.roundTrip} />
            </td>
            <td>{row.howMany}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
