import type { Decision } from '@forkroad/decide';

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
  return runtime === 'node' || tool.language === 'sh'
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
