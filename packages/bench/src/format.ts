import { formatBytes, formatNumber } from './numbers.js';
import { evaluateTargets, formatTargets } from './targets.js';
import type { BenchResults, Experiment, Row, Unit } from './types.js';

export interface FormatOptions {
  /** Wrap long cells (skipped rows' notes) at this width. Default 100. */
  width?: number;
}

/** A measured value with its unit: `5.50 ms`, `1,250,000/s`, `45.7 MiB`. */
export function formatValue(value: number, unit: Unit): string {
  if (unit === 'bytes') return formatBytes(value);
  return unit === 'ms' ? `${formatNumber(value)} ms` : `${formatNumber(value)}/s`;
}

function cells(row: Row, experiment: Experiment): string[] {
  const head = [row.label, row.runtime, row.tool];
  if (row.status === 'skipped') return [...head, `skipped${row.note ? `: ${row.note}` : ''}`];
  const ratio = row.ratio === undefined ? '' : `${formatNumber(row.ratio, row.ratio >= 100 ? 0 : 2)}×`;
  return [
    ...head,
    formatValue(row.median, experiment.unit),
    `${formatValue(row.min, experiment.unit)} – ${formatValue(row.max, experiment.unit)}`,
    String(row.samples),
    ratio,
  ];
}

function table(header: string[], rows: string[][], width: number): string[] {
  const full = rows.filter((r) => r.length === header.length);
  // The first three columns line up across every row; the rest across measured rows.
  const widths = header.map((h, i) =>
    Math.max(
      h.length,
      ...(i < 3 ? rows : full).map((r) => (i < 3 || r.length === header.length ? r[i]!.length : 0)),
    ),
  );
  const numeric = new Set([3, 4, 5, 6]);
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const r of rows) {
    if (r.length === header.length) {
      out.push(line(r));
      continue;
    }
    // A skipped row: its note runs across the numeric columns, wrapped.
    const lead = r
      .slice(0, 3)
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ');
    const indent = lead.length + 2;
    const room = Math.max(30, width - indent);
    const words = r[3]!.split(' ');
    let current = '';
    const wrapped: string[] = [];
    for (const word of words) {
      if (current && current.length + 1 + word.length > room) {
        wrapped.push(current);
        current = word;
      } else current = current ? `${current} ${word}` : word;
    }
    if (current) wrapped.push(current);
    out.push(`${lead}  ${wrapped[0] ?? ''}`.trimEnd());
    for (const more of wrapped.slice(1)) out.push(`${' '.repeat(indent)}${more}`);
  }
  return out;
}

/** The results as plain-text tables, one per experiment, with the machine on top. */
export function formatResults(results: BenchResults, options: FormatOptions = {}): string {
  const width = options.width ?? 100;
  const m = results.machine;
  const lines: string[] = [
    `forkroad bench (${results.mode}) — ${m.cpuModel}, ${m.cores} cores, ${formatValue(m.memoryBytes, 'bytes')}, ${m.platform}/${m.arch}`,
    `Node.js ${m.node}, Python ${m.python ?? 'not found'}, commit ${m.commit ?? 'unknown'}` +
      (m.loadAverage ? `, load average ${m.loadAverage.join(' ')}` : '') +
      (results.durationMs === undefined ? '' : `, ${formatNumber(results.durationMs / 1000, 1)} s`),
  ];
  for (const suite of results.suites) {
    lines.push('', `== ${suite.title} [${suite.id}]${suite.status === 'skipped' ? ' — skipped' : ''}`);
    if (suite.note) lines.push(suite.note);
    for (const experiment of suite.experiments) {
      const params = Object.entries(experiment.params)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v, Number.isInteger(v) ? 0 : 2) : v}`)
        .join(' ');
      lines.push('', `${experiment.title}  (${experiment.id}; ${params})`);
      const ratioHeader = experiment.ratioLabel ?? (experiment.baseline ? `vs ${experiment.baseline}` : '');
      const header = ['run', 'runtime', 'tool', 'median', 'min – max', 'n', ratioHeader];
      lines.push(
        ...table(
          header,
          experiment.rows.map((row) => cells(row, experiment)),
          width,
        ).map((l) => `  ${l}`),
      );
    }
  }
  const targets = evaluateTargets(results);
  if (targets.length > 0) {
    lines.push('', `Targets (issue 10; Node.js ${m.node}; read them as ratios on a busy machine)`);
    lines.push(...formatTargets(targets).map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
