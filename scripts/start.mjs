#!/usr/bin/env node
// The main job (`pnpm start`): build every package, run the quick benchmarks on this machine,
// build the docs site from those fresh numbers and serve it on localhost.
//
//   pnpm start                 quick benchmarks into packages/bench/results/local.json (≈ 2 min)
//   pnpm start -- --no-bench   the site from the committed full-run snapshot (results/latest.json)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skipBench = process.argv.includes('--no-bench');
const localResults = 'packages/bench/results/local.json';

function step(title, command, args, env = {}) {
  console.log(`\n▶ ${title}\n  $ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\n✖ ${title} failed (${result.signal ?? `exit code ${result.status}`})`);
    process.exit(result.status ?? 1);
  }
}

step('build every package', 'pnpm', ['turbo', 'run', 'build', '--filter=!@forkroad/docs']);
if (!skipBench && spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.log(
    '\nnote: no redis-server, so the distributed suite will be skipped. To include it, install Redis\n' +
      '  (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) and run again.',
  );
}
let results = 'packages/bench/results/latest.json';
if (!skipBench) {
  step('quick benchmarks on this machine', 'pnpm', ['forkroad', 'bench', '--quick', '--out', localResults]);
  results = localResults;
} else if (!existsSync(results)) {
  console.error(`✖ ${results} is missing: run without --no-bench`);
  process.exit(1);
}
step('build the docs site', 'pnpm', ['--filter', '@forkroad/docs', 'build'], {
  FORKROAD_BENCH_RESULTS: `${root}/${results}`,
});
console.log(`\nThe site shows the results in ${results}.`);
step('serve the docs site', 'pnpm', ['--filter', '@forkroad/docs', 'serve']);
