import type { Decision, WorkloadReportLike } from '@forkroad/decide';

const RUNTIME_NAMES = { node: 'Node.js', python: 'Python' } as const;

/** Word-wraps `text` to `width` columns; continuation lines get `indent`. */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (word === '') continue;
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

function install(decision: Decision): string | undefined {
  const { tool, runtime } = decision;
  if (tool.package === undefined)
    return runtime === 'python' && tool.language === 'python' ? 'standard library' : undefined;
  return runtime === 'node' || tool.package === 'forkroad'
    ? `npm install ${tool.package}`
    : `pip install ${tool.package}`;
}

/**
 * The decision as text: the model and summary, the tool and its snippet, the path (question →
 * answer), the rationale and the caveats.
 */
export function renderDecision(decision: Decision, columns = 100): string {
  const width = columns > 0 ? Math.max(40, Math.min(columns, 100)) : 100;
  const bullet = (text: string) => `  - ${wrap(text, width - 4, '    ')}`;
  const out: string[] = [];
  out.push(`Recommendation (${RUNTIME_NAMES[decision.runtime]}): ${decision.model}`);
  out.push(`  ${wrap(decision.summary, width - 2, '  ')}`, '');
  const other = decision.alternative;
  if (other !== undefined) {
    out.push(`Not clear-cut — the other branch: ${other.model}`);
    out.push(`  ${wrap(other.summary, width - 2, '  ')}`);
    out.push(`  What decides: ${wrap(other.decidedBy, width - 16, '  ')}`, '');
  }
  const how = install(decision);
  out.push(`Tool: ${decision.tool.name}${how ? `  (${how})` : ''}`, '');
  out.push(...decision.tool.snippet.split('\n').map((line) => (line === '' ? '' : `    ${line}`)), '');
  out.push('Path:');
  decision.path.forEach((step, i) => {
    out.push(`  ${i + 1}. ${wrap(`${step.text} → ${step.label}`, width - 5, '     ')}`);
  });
  out.push(`  ⇒ ${decision.outcome}`, '');
  out.push('Why:', ...decision.rationale.map(bullet), '');
  if (decision.caveats.length > 0) out.push('Caveats:', ...decision.caveats.map(bullet), '');
  return `${out.join('\n')}`;
}

const seconds = (ms: number): string =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(2)} s`;

/** One line on what a measurement found, shown before the questions that follow it. */
export function renderMeasurement(report: WorkloadReportLike): string {
  const parts = [`${report.kind}`];
  if (typeof report.wallMs === 'number') parts.push(`took ${seconds(report.wallMs)}`);
  if (typeof report.cpuMs === 'number') parts.push(`CPU ${seconds(report.cpuMs)}`);
  parts.push(`CPU ÷ wall ${report.cpuShare.toFixed(2)}`, `confidence ${report.confidence.toFixed(2)}`);
  return `Measured: ${parts.join(', ')}\n`;
}
