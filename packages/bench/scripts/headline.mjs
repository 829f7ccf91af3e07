// Prints the README's "Headline numbers" section (Markdown) from a results file:
//   node scripts/headline.mjs [results/latest.json]
import { readFileSync } from 'node:fs';
import { formatValue } from '../dist/format.js';

const file = process.argv[2] ?? new URL('../results/latest.json', import.meta.url);
const results = JSON.parse(readFileSync(file, 'utf8'));
const m = results.machine;
const out = [];
const load = (a) => (a ? a.join(' / ') : 'unknown');
out.push(
  `From \`results/latest.json\`: a \`${results.mode}\` run on ${m.cpuModel}, ${m.cores} cores, ${formatValue(m.memoryBytes, 'bytes')}, ${m.platform}/${m.arch}, Node.js ${m.node}, Python ${m.python ?? '(none)'}, commit \`${m.commit ?? 'unknown'}\`, ${(results.durationMs / 60000).toFixed(1)} min. Load average (1/5/15 min) ${load(m.loadAverage)} at the start and ${load(m.loadAverageAfter)} at the end: the machine was shared, so read ratios, not absolute times.`,
  '',
);
for (const suite of results.suites) {
  for (const e of suite.experiments) {
    const ratio = e.ratioLabel ?? (e.baseline ? `vs ${e.baseline}` : null);
    const extra = e.unit === 'tasks/s' ? 'µs per task' : null;
    out.push(`**${e.title}** (\`${e.id}\`)`, '');
    const head = [
      'run',
      'runtime',
      'tool',
      'median',
      'min – max',
      ...(ratio ? [ratio] : []),
      ...(extra ? [extra] : []),
    ];
    out.push(`| ${head.join(' | ')} |`, `| ${head.map((_h, i) => (i >= 3 ? '---:' : '---')).join(' | ')} |`);
    for (const r of e.rows) {
      if (r.status === 'skipped') continue;
      const cells = [
        r.label,
        r.runtime === 'node' ? 'Node.js' : 'Python',
        `\`${r.tool}\``,
        formatValue(r.median, e.unit),
        `${formatValue(r.min, e.unit)} – ${formatValue(r.max, e.unit)}`,
        ...(ratio ? [r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`] : []),
        ...(extra ? [String(r.details?.usPerTask ?? '')] : []),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
    const skipped = e.rows.filter((r) => r.status === 'skipped');
    if (skipped.length)
      out.push(
        '',
        `Not run: ${skipped.map((r) => `${r.label} (${r.runtime})`).join(', ')}; the JSON says why.`,
      );
    out.push('');
  }
}
process.stdout.write(out.join('\n'));
