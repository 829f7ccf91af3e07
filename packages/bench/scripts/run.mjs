// Runs the benchmarks from the built package (dist/) without the CLI:
//   node scripts/run.mjs [--smoke|--quick|--full] [--suite io ...] [--out file]
// `pnpm bench` (quick, into results/local.json) and `pnpm snapshot` (full, into results/latest.json).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assertValidResults, formatResults, runBench } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean' },
    quick: { type: 'boolean' },
    full: { type: 'boolean' },
    suite: { type: 'string', multiple: true },
    out: { type: 'string' },
  },
});
const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
const started = Date.now();
const results = await runBench({
  mode,
  suites: values.suite,
  onProgress(event) {
    const t = `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;
    if (event.type === 'suite-start')
      console.error(`${t}  ${event.suite}: ${event.title} (${event.total} steps)`);
    else if (event.type === 'step')
      console.error(`${t}  ${event.suite} ${event.done}/${event.total} ${event.label}`);
    else console.error(`${t}  ${event.suite}: ${event.status} in ${(event.ms / 1000).toFixed(1)} s`);
  },
});
assertValidResults(results);
process.stdout.write(formatResults(results));
if (values.out) {
  const out = resolve(values.out);
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`wrote ${out}`);
}
