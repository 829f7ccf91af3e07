#!/usr/bin/env node
// Runs every package's tests on each pinned Node.js version other than the one `pnpm test`'s
// main pass already used (scripts/node-versions.json). The docs site is built and tested once, on
// the host's Node: what it checks does not depend on the version.
//
//   node scripts/test-node-versions.mjs            every pinned version but the host's
//   FORKROAD_TEST_NODES=24 node scripts/...        only Node 24
//   FORKROAD_TEST_NODES=current node scripts/...   nothing more (a CI matrix job)
import { spawnSync } from 'node:child_process';
import { envWithNode, majorOf, root, selectedVersions } from './lib/node-binaries.mjs';

const others = selectedVersions().filter((v) => majorOf(v) !== majorOf(process.version));
if (others.length === 0) console.log(`Node ${process.version} only: no other version selected.`);
for (const version of others) {
  const env = envWithNode(version);
  const started = Date.now();
  console.log(`\n▶ every package's tests on Node ${version}`);
  const run = spawnSync(
    'pnpm',
    ['turbo', 'run', 'test', '--filter=!@forkroad/docs', '--concurrency=2', '--output-logs=errors-only'],
    { cwd: root, env, stdio: 'inherit' },
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  if (run.status !== 0) {
    console.error(`✖ tests failed on Node ${version} (${seconds} s)`);
    process.exit(run.status ?? 1);
  }
  console.log(`✔ every package's tests passed on Node ${version} (${seconds} s)`);
}
