// Generates everything the site is built from, before `docusaurus build`:
//   src/generated/flowchart.json      the flowchart from @forkroad/decide, and its layout for the SVG
//   src/generated/bench-results.json  packages/bench/results/latest.json, checked
//   src/generated/bench-results-node24.json  packages/bench/results/node24.json (overhead and
//                                     pools under Node 24), checked
//   docs/api/**                       the API reference, by TypeDoc from the packages' sources
// Any missing input stops the build with a message that says what to do. Nothing falls back to
// fixture or hand-written data.
//
//   node scripts/prepare.mjs            all of it
//   node scripts/prepare.mjs --no-api   skip TypeDoc (for `docusaurus start` while writing prose)
//
// FORKROAD_BENCH_RESULTS=/path/to/results.json builds the benchmark pages from another results
// file (for example one `forkroad bench --quick --out …` just wrote); FORKROAD_BENCH_RESULTS_NODE24
// does the same for the Node 24 one.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiEntryPoints, default as typedocConfig } from '../typedoc.config.mjs';
import { fixAnchors } from './fix-anchors.mjs';
import { layoutFlowchart } from './flowchart-layout.mjs';
import { validateBenchResults } from './validate-bench.mjs';

const site = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(site, '../..');
const generated = join(site, 'src/generated');
export const DEFAULT_RESULTS = join(repo, 'packages/bench/results/latest.json');
export const NODE24_RESULTS = join(repo, 'packages/bench/results/node24.json');

class PrepareError extends Error {}

/** A path as the messages show it: relative to the repository when inside it. */
function shown(path) {
  const rel = relative(repo, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function write(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`[docs] wrote ${relative(site, file)}`);
}

async function flowchart() {
  let decide;
  try {
    decide = await import('@forkroad/decide');
  } catch (error) {
    throw new PrepareError(
      `cannot load @forkroad/decide (${error.message}).\n` +
        'Build it first — `pnpm turbo run build --filter=@forkroad/docs` builds it before the site.',
    );
  }
  if (typeof decide.flowchart !== 'object') {
    throw new PrepareError('@forkroad/decide does not export `flowchart`.');
  }
  write(join(generated, 'flowchart.json'), {
    flowchart: decide.flowchart,
    layout: layoutFlowchart(decide.flowchart),
  });
}

/** Reads, checks and writes one results file; `produce` says how to make it when it is missing. */
function benchResultsFile(source, target, produce) {
  let text;
  try {
    text = readFileSync(source, 'utf8');
  } catch {
    throw new PrepareError(
      `no benchmark results at ${shown(source)}.\n` +
        "The benchmark pages are built from @forkroad/bench's results JSON (committed). Produce it with\n" +
        `  ${produce}`,
    );
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PrepareError(`${source} is not JSON: ${error.message}`);
  }
  const problems = validateBenchResults(data);
  if (problems.length > 0) {
    throw new PrepareError(
      `${source} does not have the shape the benchmark pages render:\n  ${problems.join('\n  ')}`,
    );
  }
  write(join(generated, target), data);
  console.log(
    `[docs] benchmark pages from ${shown(source)} (${data.mode} mode, Node.js ${data.machine.node}, ${data.generatedAt})`,
  );
}

/** A path from the environment, relative to where the command was typed (pnpm sets INIT_CWD). */
function fromEnv(name, fallback) {
  const value = process.env[name];
  return value ? resolve(process.env.INIT_CWD ?? process.cwd(), value) : fallback;
}

function benchResults() {
  benchResultsFile(
    fromEnv('FORKROAD_BENCH_RESULTS', DEFAULT_RESULTS),
    'bench-results.json',
    'pnpm --filter @forkroad/bench snapshot\nor point FORKROAD_BENCH_RESULTS at another results file.',
  );
  benchResultsFile(
    fromEnv('FORKROAD_BENCH_RESULTS_NODE24', NODE24_RESULTS),
    'bench-results-node24.json',
    'pnpm --filter @forkroad/bench snapshot:node24   (the overhead and pools suites under Node 24)\n' +
      'or point FORKROAD_BENCH_RESULTS_NODE24 at another results file.',
  );
}

async function apiReference() {
  const entries = apiEntryPoints();
  const missing = entries.filter((e) => !e.exists);
  if (missing.length > 0) {
    throw new PrepareError(
      `the API reference documents ${entries.length} packages, and ${missing.length} entry point(s) are missing:\n  ` +
        `${missing.map((e) => relative(repo, e.entry)).join('\n  ')}\n` +
        'Every package listed in apps/docs/typedoc.config.mjs (API_PACKAGES) must have src/index.ts.',
    );
  }
  const started = Date.now();
  const { Application } = await import('typedoc');
  const app = await Application.bootstrapWithPlugins(typedocConfig);
  const project = await app.convert();
  if (!project || app.logger.hasErrors()) {
    throw new PrepareError('TypeDoc could not convert the packages; see its messages above.');
  }
  await app.generateOutputs(project);
  if (app.logger.hasErrors()) throw new PrepareError('TypeDoc could not write the API reference.');
  const repaired = fixAnchors(typedocConfig.out);
  if (repaired > 0) console.log(`[docs] repaired ${repaired} anchor link(s) in the API reference`);
  console.log(
    `[docs] API reference for ${entries.map((e) => `@forkroad/${e.name}`).join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

try {
  await flowchart();
  benchResults();
  if (!process.argv.includes('--no-api')) await apiReference();
} catch (error) {
  if (error instanceof PrepareError) {
    console.error(`\n[docs] cannot build the site: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
