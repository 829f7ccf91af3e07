import type { BenchResults } from './types.js';

/**
 * Checks a parsed results document against the contract (`results/schema.json`, plus what a
 * JSON Schema cannot say: the baseline names a row, labels are unique, min ≤ median ≤ max).
 * Returns the problems found, each starting with the path of the field (`$.suites[0].id: …`);
 * an empty array means the document is valid.
 */
export function validateResults(doc: unknown): string[] {
  const problems: string[] = [];
  const fail = (where: string, what: string) => {
    problems.push(`${where}: ${what}`);
    return false;
  };
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const object = (v: unknown, where: string): v is Record<string, unknown> =>
    isObject(v) || fail(where, `must be an object; got ${describe(v)}`);
  const known = (o: Record<string, unknown>, keys: readonly string[], where: string) => {
    for (const key of Object.keys(o)) {
      if (!keys.includes(key))
        fail(`${where}.${key}`, `is not a field of this object (allowed: ${keys.join(', ')})`);
    }
  };
  const string = (o: Record<string, unknown>, key: string, where: string, optional = false) => {
    if (optional && o[key] === undefined) return true;
    return (
      (typeof o[key] === 'string' && (o[key] as string).length > 0) ||
      fail(`${where}.${key}`, `must be a non-empty string; got ${describe(o[key])}`)
    );
  };
  const number = (
    o: Record<string, unknown>,
    key: string,
    where: string,
    min = -Infinity,
    optional = false,
  ) => {
    const v = o[key];
    if (optional && v === undefined) return true;
    if (typeof v !== 'number' || !Number.isFinite(v))
      return fail(`${where}.${key}`, `must be a finite number; got ${describe(v)}`);
    return v >= min || fail(`${where}.${key}`, `must be at least ${min}; got ${v}`);
  };
  const integer = (o: Record<string, unknown>, key: string, where: string, min: number) =>
    number(o, key, where, min) &&
    (Number.isInteger(o[key]) || fail(`${where}.${key}`, `must be an integer; got ${describe(o[key])}`));
  const oneOf = (
    o: Record<string, unknown>,
    key: string,
    values: readonly unknown[],
    where: string,
    optional = false,
  ) => {
    if (optional && o[key] === undefined) return true;
    return (
      values.includes(o[key]) ||
      fail(
        `${where}.${key}`,
        `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}; got ${describe(o[key])}`,
      )
    );
  };
  const record = (o: Record<string, unknown>, key: string, where: string, optional = false) => {
    const v = o[key];
    if (optional && v === undefined) return;
    if (!object(v, `${where}.${key}`)) return;
    for (const [k, value] of Object.entries(v)) {
      if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
        fail(`${where}.${key}.${k}`, `must be a finite number or a string; got ${describe(value)}`);
      }
    }
  };
  const numbers = (o: Record<string, unknown>, key: string, where: string) => {
    const v = o[key];
    if (v === undefined) return;
    if (!Array.isArray(v) || !v.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) {
      fail(`${where}.${key}`, `must be an array of non-negative numbers; got ${describe(v)}`);
    }
  };

  if (!object(doc, '$')) return problems;
  known(doc, TOP_KEYS, '$');
  if (doc.schemaVersion !== 1) fail('$.schemaVersion', `must be 1; got ${describe(doc.schemaVersion)}`);
  if (string(doc, 'generatedAt', '$') && Number.isNaN(Date.parse(doc.generatedAt as string))) {
    fail('$.generatedAt', `must be an ISO 8601 date-time; got ${describe(doc.generatedAt)}`);
  }
  oneOf(doc, 'mode', MODES, '$');
  number(doc, 'durationMs', '$', 0, true);
  if (doc.selection !== undefined) {
    if (!Array.isArray(doc.selection) || !doc.selection.every(isSuiteId)) {
      fail('$.selection', `must be an array of suite ids or python; got ${describe(doc.selection)}`);
    }
  }
  if (doc.backends !== undefined) {
    if (!Array.isArray(doc.backends) || !doc.backends.every((b) => BACKENDS.includes(b))) {
      fail('$.backends', `must be an array of ${BACKENDS.join(', ')}; got ${describe(doc.backends)}`);
    }
  }

  if (object(doc.machine, '$.machine')) {
    const m = doc.machine;
    const w = '$.machine';
    known(m, MACHINE_KEYS, w);
    for (const key of ['cpuModel', 'platform', 'arch', 'node']) string(m, key, w);
    integer(m, 'cores', w, 1);
    number(m, 'memoryBytes', w, 0);
    for (const key of ['python', 'commit']) {
      if (m[key] !== null && !(typeof m[key] === 'string' && (m[key] as string).length > 0)) {
        fail(`${w}.${key}`, `must be a non-empty string or null; got ${describe(m[key])}`);
      }
    }
    numbers(m, 'loadAverage', w);
    numbers(m, 'loadAverageAfter', w);
  }

  if (!Array.isArray(doc.suites)) {
    fail('$.suites', `must be an array; got ${describe(doc.suites)}`);
    return problems;
  }
  const suiteIds = new Set<unknown>();
  const experimentIds = new Set<unknown>();
  doc.suites.forEach((suite: unknown, i: number) => {
    const w = `$.suites[${i}]`;
    if (!object(suite, w)) return;
    known(suite, SUITE_KEYS, w);
    if (!isSuiteId(suite.id)) fail(`${w}.id`, `must be a suite id (${SUITE_ID}); got ${describe(suite.id)}`);
    else if (suiteIds.has(suite.id)) fail(`${w}.id`, `suite "${suite.id}" appears twice`);
    suiteIds.add(suite.id);
    string(suite, 'title', w);
    oneOf(suite, 'status', STATUSES, w);
    string(suite, 'note', w, true);
    if (!Array.isArray(suite.experiments)) {
      fail(`${w}.experiments`, `must be an array; got ${describe(suite.experiments)}`);
      return;
    }
    suite.experiments.forEach((experiment: unknown, j: number) => {
      const we = `${w}.experiments[${j}]`;
      if (!object(experiment, we)) return;
      known(experiment, EXPERIMENT_KEYS, we);
      if (string(experiment, 'id', we) && experimentIds.has(experiment.id)) {
        fail(`${we}.id`, `experiment "${experiment.id}" appears twice`);
      }
      experimentIds.add(experiment.id);
      string(experiment, 'title', we);
      string(experiment, 'description', we);
      record(experiment, 'params', we);
      oneOf(experiment, 'unit', UNITS, we);
      string(experiment, 'ratioLabel', we, true);
      if (!Array.isArray(experiment.notes) || !experiment.notes.every((n) => typeof n === 'string')) {
        fail(`${we}.notes`, `must be an array of strings; got ${describe(experiment.notes)}`);
      }
      if (!Array.isArray(experiment.rows)) {
        fail(`${we}.rows`, `must be an array; got ${describe(experiment.rows)}`);
        return;
      }
      const rows: unknown[] = experiment.rows;
      if (string(experiment, 'baseline', we, true) && experiment.baseline !== undefined) {
        if (!rows.some((r) => isObject(r) && r.label === experiment.baseline)) {
          fail(`${we}.baseline`, `names no row: ${JSON.stringify(experiment.baseline)}`);
        }
      }
      const labels = new Set<string>();
      rows.forEach((row, k) => {
        const wr = `${we}.rows[${k}]`;
        if (!object(row, wr)) return;
        known(row, ROW_KEYS, wr);
        string(row, 'label', wr);
        oneOf(row, 'runtime', RUNTIMES, wr);
        const key = `${String(row.runtime)}\u0000${String(row.label)}`;
        if (labels.has(key))
          fail(`${wr}.label`, `"${row.label}" appears twice among the ${row.runtime} rows`);
        labels.add(key);
        oneOf(row, 'model', MODELS, wr);
        string(row, 'tool', wr);
        const ok = [
          number(row, 'median', wr, 0),
          number(row, 'min', wr, 0),
          number(row, 'max', wr, 0),
          integer(row, 'samples', wr, 0),
        ].every(Boolean);
        number(row, 'ratio', wr, 0, true);
        oneOf(row, 'status', STATUSES, wr, true);
        string(row, 'note', wr, true);
        record(row, 'details', wr, true);
        if (ok && row.status !== 'skipped') {
          const { min, median, max, samples } = row as {
            min: number;
            median: number;
            max: number;
            samples: number;
          };
          if (samples < 1) fail(`${wr}.samples`, 'must be at least 1 for a row that was measured');
          if (!(min <= median && median <= max)) {
            fail(
              `${wr}.median`,
              `must lie between min and max; got min ${min}, median ${median}, max ${max}`,
            );
          }
        }
      });
    });
  });
  return problems;
}

/** Thrown by `assertValidResults`; `problems` lists every problem found. */
export class InvalidResultsError extends Error {
  override name = 'InvalidResultsError';
  constructor(readonly problems: string[]) {
    const shown = problems.slice(0, 10);
    const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
    super(`the results do not match the schema:\n  ${shown.join('\n  ')}${more}`);
  }
}

/** Throws `InvalidResultsError` unless `doc` is a valid results document. */
export function assertValidResults(doc: unknown): asserts doc is BenchResults {
  const problems = validateResults(doc);
  if (problems.length > 0) throw new InvalidResultsError(problems);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value);
  if (json === undefined) return typeof value;
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

const MODES = ['smoke', 'quick', 'full'] as const;
/** Suites are registered in src/suites/index.ts; a document names them by id. */
const SUITE_ID = /^[a-z][a-z0-9-]*$/;
const isSuiteId = (value: unknown): boolean => typeof value === 'string' && SUITE_ID.test(value);
const BACKENDS = ['async', 'threads', 'processes'] as readonly unknown[];
const STATUSES = ['ok', 'skipped'] as const;
const UNITS = ['ms', 'tasks/s', 'bytes'] as const;
const RUNTIMES = ['node', 'python'] as const;
const MODELS = ['sequential', 'async', 'threads', 'processes'] as const;
const TOP_KEYS = [
  '$schema',
  'schemaVersion',
  'generatedAt',
  'mode',
  'machine',
  'suites',
  'durationMs',
  'selection',
  'backends',
];
const MACHINE_KEYS = [
  'cpuModel',
  'cores',
  'memoryBytes',
  'platform',
  'arch',
  'node',
  'python',
  'commit',
  'loadAverage',
  'loadAverageAfter',
];
const SUITE_KEYS = ['id', 'title', 'status', 'note', 'experiments'];
const EXPERIMENT_KEYS = [
  'id',
  'title',
  'description',
  'params',
  'unit',
  'baseline',
  'ratioLabel',
  'rows',
  'notes',
];
const ROW_KEYS = [
  'label',
  'runtime',
  'model',
  'tool',
  'median',
  'min',
  'max',
  'samples',
  'ratio',
  'status',
  'note',
  'details',
];
