// Checks that a results file has the shape the benchmark pages render, with @forkroad/bench's own
// validator (the one the CLI runs before it writes), so that a malformed or out-of-date file fails
// the build with a message instead of a blank page.
// Run it alone: node scripts/validate-bench.mjs <file.json>

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateResults } from '@forkroad/bench';

/**
 * @param {unknown} data
 * @returns {string[]} the problems found, each naming its field; empty when the file is fine
 */
export function validateBenchResults(data) {
  return validateResults(data);
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
