// Writes the benchmark numbers into the package READMEs from a results file, between markers:
//
//   <!-- bench:table overhead-threads -->   an experiment's table (several ids: several tables)
//   <!-- bench:tables -->                   every experiment's table
//   <!-- bench:targets async -->            issue 10's targets whose id starts with `async` (none: all)
//   <!-- bench:source -->                   where the numbers come from (machine, Node, load)
//   …generated…
//   <!-- /bench -->
//
// Each kind reads results/latest.json; `bench:<kind>@<name>` reads results/<name>.json instead
// (`<!-- bench:targets@node24 async -->`: the async targets measured on Node 24).
//
//   node scripts/readmes.mjs [--check] [results.json]   (default results/latest.json)
//
// --check writes nothing and exits 1, naming each README whose numbers no longer match the file.
// Needs `dist/` (pnpm build). The package's tests run the check (test/readmes.test.ts).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateTargets, formatNumber, formatValue } from '../dist/index.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
const defaultResults = join(resultsDir, 'latest.json');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** results/<name>.json, read once per run. */
function namedResults() {
  const read = new Map();
  return (name) => {
    if (!read.has(name)) read.set(name, readJson(join(resultsDir, `${name}.json`)));
    return read.get(name);
  };
}

/** Every package's and app's README: the files that may hold markers. */
export function readmeFiles() {
  return ['packages', 'apps'].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(root, dir, d.name, 'README.md'))
      .filter((file) => existsSync(file)),
  );
}

function source(results, name) {
  const m = results.machine;
  const load = (a) => (a ? a.map((v) => v.toFixed(2)).join(' / ') : 'unknown');
  const minutes = results.durationMs === undefined ? '' : `, ${(results.durationMs / 60000).toFixed(1)} min`;
  return `From \`@forkroad/bench\`'s \`results/${name}.json\`: a \`${results.mode}\` run on ${m.cpuModel}, ${m.cores} cores, ${formatValue(m.memoryBytes, 'bytes')}, ${m.platform}/${m.arch}, Node.js ${m.node}, Python ${m.python ?? '(none)'}, commit \`${m.commit ?? 'unknown'}\`${minutes}. Load average (1/5/15 min) ${load(m.loadAverage)} at the start and ${load(m.loadAverageAfter)} at the end: the machine was shared, so read the ratios (each against a peer in the same run), not the absolute numbers. Under each table: when and under what load its suite was measured.`;
}

function table(e, suite) {
  const ratio = e.ratioLabel ?? (e.baseline ? `vs ${e.baseline}` : null);
  const extra = e.unit === 'tasks/s' ? 'µs per task' : null;
  const head = [
    'run',
    'runtime',
    'tool',
    'median',
    'min – max',
    ...(ratio ? [ratio] : []),
    ...(extra ? [extra] : []),
  ];
  const lines = [`**${e.title}** (\`${e.id}\`)`, ''];
  // The suite's note says when and under what load it was measured.
  if (suite.note) lines.push(`_${suite.note}_`, '');
  lines.push(`| ${head.join(' | ')} |`, `| ${head.map((_h, i) => (i >= 3 ? '---:' : '---')).join(' | ')} |`);
  for (const r of e.rows) {
    if (r.status === 'skipped') continue;
    const cells = [
      r.label,
      r.runtime === 'node' ? 'Node.js' : 'Python',
      `\`${r.tool}\``,
      formatValue(r.median, e.unit),
      `${formatValue(r.min, e.unit)} – ${formatValue(r.max, e.unit)}`,
      ...(ratio ? [r.ratio === undefined ? '' : `${formatNumber(r.ratio, 2)}×`] : []),
      ...(extra ? [r.details?.usPerTask === undefined ? '' : formatNumber(r.details.usPerTask)] : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const skipped = e.rows.filter((r) => r.status === 'skipped');
  if (skipped.length)
    lines.push(
      '',
      `Not run: ${skipped.map((r) => `${r.label} (${r.runtime})`).join(', ')}; the JSON says why.`,
    );
  return lines.join('\n');
}

function targets(results, prefixes, name) {
  const list = evaluateTargets(results).filter(
    (t) => prefixes.length === 0 || prefixes.some((p) => t.id.startsWith(p)),
  );
  // Another results file than the main one says which Node and which run its numbers are from.
  const label =
    name === 'latest'
      ? []
      : [`On Node.js ${results.machine.node} (\`results/${name}.json\`, a \`${results.mode}\` run):`, ''];
  if (list.length === 0)
    return [...label, '_No target of this kind has numbers in the results file._'].join('\n');
  return [
    ...label,
    '| target | measured | |',
    '| --- | ---: | --- |',
    ...list.map((t) => `| ${t.description} | ${t.measured} | ${t.met ? 'met' : '**NOT met**'} |`),
  ].join('\n');
}

function render(results, name, kind, args, file) {
  const experiments = results.suites.flatMap((suite) => suite.experiments.map((e) => ({ e, suite })));
  if (kind === 'source') return source(results, name);
  if (kind === 'tables') return experiments.map(({ e, suite }) => table(e, suite)).join('\n\n');
  if (kind === 'targets') return targets(results, args, name);
  if (kind === 'table') {
    return args
      .map((id) => {
        const found = experiments.find(({ e }) => e.id === id);
        if (!found) throw new Error(`${relative(root, file)}: no experiment ${id} in the results`);
        return table(found.e, found.suite);
      })
      .join('\n\n');
  }
  throw new Error(`${relative(root, file)}: unknown marker bench:${kind}`);
}

const MARKER = /(<!-- bench:([a-z]+)(?:@([a-z0-9-]+))?((?: [a-z0-9-]+)*) -->\n)([\s\S]*?)(<!-- \/bench -->)/g;

/**
 * The README's text with every marked block regenerated: from `results` (the main file), or, for
 * `bench:<kind>@<name>`, from `named(name)` (default: results/<name>.json).
 */
export function regenerate(text, results, file, named = namedResults()) {
  return text.replace(MARKER, (_all, open, kind, name = 'latest', args, _old, close) => {
    const words = args.trim() ? args.trim().split(' ') : [];
    let from = results;
    if (name !== 'latest') {
      try {
        from = named(name);
      } catch (error) {
        throw new Error(`${relative(root, file)}: no results/${name}.json to read (${error.message})`);
      }
    }
    return `${open}\n${render(from, name, kind, words, file)}\n\n${close}`;
  });
}

/** The READMEs (paths from the repository root) whose marked blocks differ from what `results` gives. */
export function staleReadmes(resultsFile = defaultResults) {
  const results = readJson(resultsFile);
  const named = namedResults();
  return readmeFiles()
    .filter((file) => {
      const text = readFileSync(file, 'utf8');
      return regenerate(text, results, file, named) !== text;
    })
    .map((file) => relative(root, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const resultsFile = args.find((a) => !a.startsWith('--')) ?? defaultResults;
  if (args.includes('--check')) {
    const stale = staleReadmes(resultsFile);
    if (stale.length > 0) {
      console.error(
        `These READMEs' benchmark numbers do not match ${relative(root, resultsFile)}:\n  ${stale.join('\n  ')}\nRegenerate them: pnpm --filter @forkroad/bench readmes`,
      );
      process.exit(1);
    }
  } else {
    const results = readJson(resultsFile);
    const named = namedResults();
    for (const file of readmeFiles()) {
      const text = readFileSync(file, 'utf8');
      const next = regenerate(text, results, file, named);
      if (next !== text) {
        writeFileSync(file, next);
        console.error(`wrote ${relative(root, file)}`);
      }
    }
  }
}
