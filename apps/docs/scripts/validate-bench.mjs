// Checks that a results file has the shape the benchmark pages render (`src/lib/bench.ts`),
// so that a malformed or out-of-date file fails the build with a message instead of a blank page.
// Run it alone: node scripts/validate-bench.mjs <file.json>

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SUITES = ['io', 'cpu', 'overhead', 'memory', 'startup', 'payload'];
const MODES = ['smoke', 'quick', 'full'];
const UNITS = ['ms', 'tasks/s', 'bytes'];
const RUNTIMES = ['node', 'python'];
const MODELS = ['sequential', 'async', 'threads', 'processes'];

/**
 * @param {unknown} data
 * @returns {string[]} the problems found; empty when the file is fine
 */
export function validateBenchResults(data) {
  /** @type {string[]} */
  const problems = [];
  const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const need = (cond, where, what) => {
    if (!cond) problems.push(`${where}: ${what}`);
    return cond;
  };
  const str = (o, k, where) => need(typeof o[k] === 'string', `${where}.${k}`, 'must be a string');
  const num = (o, k, where) =>
    need(typeof o[k] === 'number' && Number.isFinite(o[k]), `${where}.${k}`, 'must be a finite number');
  const oneOf = (o, k, values, where) =>
    need(
      values.includes(o[k]),
      `${where}.${k}`,
      `must be one of ${values.join(', ')}; got ${JSON.stringify(o[k])}`,
    );

  if (!need(isObject(data), '$', 'must be an object')) return problems;
  need(data.schemaVersion === 1, '$.schemaVersion', `must be 1; got ${JSON.stringify(data.schemaVersion)}`);
  str(data, 'generatedAt', '$');
  oneOf(data, 'mode', MODES, '$');
  if (data.durationMs !== undefined) num(data, 'durationMs', '$');
  if (need(isObject(data.machine), '$.machine', 'must be an object')) {
    const m = data.machine;
    for (const k of ['cpuModel', 'platform', 'arch', 'node']) str(m, k, '$.machine');
    num(m, 'cores', '$.machine');
    num(m, 'memoryBytes', '$.machine');
    for (const k of ['loadAverage', 'loadAverageAfter']) {
      if (m[k] !== undefined) {
        need(
          Array.isArray(m[k]) && m[k].every((n) => typeof n === 'number'),
          `$.machine.${k}`,
          'must be numbers',
        );
      }
    }
    for (const k of ['python', 'commit']) {
      need(m[k] === null || typeof m[k] === 'string', `$.machine.${k}`, 'must be a string or null');
    }
  }
  if (!need(Array.isArray(data.suites), '$.suites', 'must be an array')) return problems;
  const seen = new Set();
  data.suites.forEach((suite, i) => {
    const w = `$.suites[${i}]`;
    if (!need(isObject(suite), w, 'must be an object')) return;
    oneOf(suite, 'id', SUITES, w);
    need(!seen.has(suite.id), `${w}.id`, `suite ${suite.id} appears twice`);
    seen.add(suite.id);
    str(suite, 'title', w);
    oneOf(suite, 'status', ['ok', 'skipped'], w);
    if (suite.note !== undefined) str(suite, 'note', w);
    if (!need(Array.isArray(suite.experiments), `${w}.experiments`, 'must be an array')) return;
    const ids = new Set();
    suite.experiments.forEach((exp, j) => {
      const we = `${w}.experiments[${j}]`;
      if (!need(isObject(exp), we, 'must be an object')) return;
      for (const k of ['id', 'title', 'description']) str(exp, k, we);
      need(!ids.has(exp.id), `${we}.id`, `experiment ${exp.id} appears twice`);
      ids.add(exp.id);
      oneOf(exp, 'unit', UNITS, we);
      if (exp.ratioLabel !== undefined) str(exp, 'ratioLabel', we);
      if (need(isObject(exp.params), `${we}.params`, 'must be an object')) {
        for (const [k, v] of Object.entries(exp.params)) {
          need(
            typeof v === 'number' || typeof v === 'string',
            `${we}.params.${k}`,
            'must be a number or a string',
          );
        }
      }
      need(
        Array.isArray(exp.notes) && exp.notes.every((n) => typeof n === 'string'),
        `${we}.notes`,
        'must be an array of strings',
      );
      if (!need(Array.isArray(exp.rows), `${we}.rows`, 'must be an array')) return;
      if (exp.baseline !== undefined && str(exp, 'baseline', we)) {
        need(
          exp.rows.some((r) => isObject(r) && r.label === exp.baseline),
          `${we}.baseline`,
          `names no row: ${JSON.stringify(exp.baseline)}`,
        );
      }
      exp.rows.forEach((row, k) => {
        const wr = `${we}.rows[${k}]`;
        if (!need(isObject(row), wr, 'must be an object')) return;
        str(row, 'label', wr);
        str(row, 'tool', wr);
        oneOf(row, 'runtime', RUNTIMES, wr);
        oneOf(row, 'model', MODELS, wr);
        for (const key of ['median', 'min', 'max', 'samples']) num(row, key, wr);
        if (row.ratio !== undefined) num(row, 'ratio', wr);
        if (row.status !== undefined) oneOf(row, 'status', ['ok', 'skipped'], wr);
        if (row.note !== undefined) str(row, 'note', wr);
        if (row.details !== undefined && need(isObject(row.details), `${wr}.details`, 'must be an object')) {
          for (const [k, v] of Object.entries(row.details)) {
            need(
              typeof v === 'number' || typeof v === 'string',
              `${wr}.details.${k}`,
              'must be a number or a string',
            );
          }
        }
      });
    });
  });
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node scripts/validate-bench.mjs <results.json>…');
    process.exit(2);
  }
  let failed = false;
  for (const file of files) {
    const problems = validateBenchResults(JSON.parse(readFileSync(file, 'utf8')));
    if (problems.length > 0) {
      failed = true;
      console.error(`${file}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
    } else {
      console.log(`${file}: ok`);
    }
  }
  process.exit(failed ? 1 : 0);
}
