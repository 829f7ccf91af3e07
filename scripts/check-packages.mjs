#!/usr/bin/env node
// Checks what npm users get, one package at a time, on the packed code rather than the source:
//   1. `pnpm pack` every publishable package (workspace ranges become real versions);
//   2. @arethetypeswrong/cli on each tarball: ESM entry points whose types resolve under
//      `node16` and `bundler` (the `esm-only` profile: these packages publish no CommonJS);
//   3. plain `npm install` of the tarballs into an empty temporary project (no workspace links),
//      then each package README's first example, run there.
// Needs `pnpm build` first (the tarballs carry dist/). Usage: node scripts/check-packages.mjs [--keep]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readmeExample } from './lib/readme-example.mjs';
import { startRedis } from './lib/redis.mjs';

const root = new URL('..', import.meta.url).pathname;
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'forkroad-packed-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);

const failures = [];
const fail = (what) => {
  failures.push(what);
  console.error(`  ✖ ${what}`);
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(), result };
}

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    json: readJson(join(root, 'packages', dir, 'package.json')),
  }))
  .filter(({ json }) => json && !json.private);

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

console.log(`▶ pack ${packages.length} packages`);
for (const pkg of packages) {
  const packed = run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: pkg.dir });
  if (!packed.ok) fail(`${pkg.json.name}: pnpm pack failed\n${packed.output}`);
  const file = readdirSync(tarballs).find((f) => f === tarballName(pkg.json));
  if (file) pkg.tarball = join(tarballs, file);
  else if (packed.ok) fail(`${pkg.json.name}: pnpm pack wrote no ${tarballName(pkg.json)}`);
}

function tarballName({ name, version }) {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

const attw = join(root, 'node_modules/.bin/attw');
console.log('▶ are the types wrong? (node16 and bundler, ESM only)');
for (const pkg of packages.filter((p) => p.tarball)) {
  const checked = run(attw, [pkg.tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-color']);
  if (checked.ok) console.log(`  ✔ ${pkg.json.name}`);
  else fail(`${pkg.json.name}: attw found problems\n${checked.output}`);
}

console.log(`▶ npm install the tarballs into an empty project (${project})`);
const local = Object.fromEntries(
  packages.filter((p) => p.tarball).map((p) => [p.json.name, `file:${p.tarball}`]),
);
writeJson(join(project, 'package.json'), {
  name: 'forkroad-packed-smoke',
  private: true,
  type: 'module',
  dependencies: local,
  // The tarballs depend on each other by version (^0.0.0): point those at the tarballs as well,
  // so nothing of ours comes from the registry.
  overrides: local,
});
const installed = run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
if (!installed.ok) fail(`npm install of the tarballs failed\n${installed.output}`);

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

if (installed.ok) {
  console.log("▶ each README's first example, on the packed code");
  for (const pkg of packages) await runExample(pkg);
}

async function runExample(pkg) {
  const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');
  const example = readmeExample(readme);
  if (example.exempt) {
    console.log(`  – ${pkg.json.name}: ${example.exempt}`);
    return;
  }
  if (!example.run) {
    fail(
      `${pkg.json.name}: README has no first example to run (fenced blocks tagged file=NAME, one tagged run)`,
    );
    return;
  }
  const dir = join(project, pkg.json.name.replace(/^@/, '').replace('/', '-'));
  mkdirSync(dir, { recursive: true });
  for (const file of example.files) writeFileSync(join(dir, file.name), file.code);
  const redis = example.needs.includes('redis') ? await startRedis() : undefined;
  try {
    const env = {
      ...process.env,
      PATH: `${join(project, 'node_modules/.bin')}:${process.env.PATH}`,
      ...(redis ? { REDIS_URL: redis.url } : {}),
    };
    const [command, ...args] = example.run.endsWith('.sh') ? ['bash', example.run] : ['node', example.run];
    const outcome = await runWithTimeout(command, args, { cwd: dir, env }, 120_000);
    if (outcome.ok) console.log(`  ✔ ${pkg.json.name}: ${example.run}`);
    else fail(`${pkg.json.name}: ${example.run} ${outcome.why}\n${outcome.output.slice(-3000)}`);
  } finally {
    await redis?.stop();
  }
}

function runWithTimeout(command, args, options, ms) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const why = signal
        ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${ms / 1000} s` : ''})`
        : `exited ${code}`;
      resolve({ ok: code === 0, why, output });
    });
  });
}

if (keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
if (failures.length > 0) {
  console.error(`\n✖ ${failures.length} problem(s) with the packed packages`);
  process.exit(1);
}
console.log(
  `\n✔ ${packages.length} packed packages: types resolve, they install with npm, and their README examples run`,
);
