#!/usr/bin/env node
// Every published package whose src/ changed has a changeset naming it, so that its changelog
// and version bump are not forgotten. What "changed" is measured against:
//   - on a branch (a pull request): the base it forked from — CHANGESET_BASE, or origin/main when
//     that exists and HEAD is not on it — and only changesets added since then count;
//   - on main itself: the last release (the last commit that consumed changesets, i.e. deleted
//     .changeset/*.md files; the first commit if none did), and every pending changeset counts.
// Usage: node scripts/check-changesets.mjs   (in a git checkout; prints what to run when it fails)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { changesetPackages, packagesMissingChangesets } from './lib/changesets.mjs';

const cwd = process.argv[2] ?? new URL('..', import.meta.url).pathname;
const git = (...args) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const tryGit = (...args) => {
  try {
    return git(...args);
  } catch {
    return '';
  }
};

if (!tryGit('rev-parse', '--git-dir')) {
  console.log('– changesets: not a git checkout, nothing to compare with');
  process.exit(0);
}

function findBase() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by this script, which turbo does not run
  const wanted = process.env.CHANGESET_BASE?.trim();
  if (wanted) return { base: git('merge-base', 'HEAD', wanted), onBranch: true, what: wanted };
  const main = tryGit('rev-parse', '--verify', '--quiet', 'origin/main');
  if (main) {
    // HEAD ahead of origin/main: a branch. HEAD on (or behind) it: main itself.
    const forkPoint = git('merge-base', 'HEAD', 'origin/main');
    if (forkPoint !== git('rev-parse', 'HEAD'))
      return { base: forkPoint, onBranch: true, what: 'origin/main' };
  }
  const lastRelease = tryGit('log', '-1', '--diff-filter=D', '--format=%H', '--', '.changeset/*.md');
  if (lastRelease) return { base: lastRelease, onBranch: false, what: 'the last release' };
  const first = git('rev-list', '--max-parents=0', 'HEAD').split('\n').pop();
  return { base: first, onBranch: false, what: 'the first commit' };
}

const { base, onBranch, what } = findBase();
const published = readdirSync(join(cwd, 'packages'))
  .map((dir) => ({ dir, path: join(cwd, 'packages', dir, 'package.json') }))
  .filter(({ path }) => existsSync(path))
  .map(({ dir, path }) => ({ dir, json: JSON.parse(readFileSync(path, 'utf8')) }))
  .filter(({ json }) => !json.private);

const changedFiles = git('diff', '--name-only', base, '--', 'packages/*/src/**').split('\n').filter(Boolean);
const changed = published.filter(({ dir }) => changedFiles.some((f) => f.startsWith(`packages/${dir}/src/`)));

const changesetFiles = onBranch
  ? git('diff', '--name-only', '--diff-filter=A', base, '--', '.changeset/*.md').split('\n').filter(Boolean)
  : readdirSync(join(cwd, '.changeset'))
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => `.changeset/${f}`);
const covered = new Set(changesetFiles.flatMap((f) => changesetPackages(readFileSync(join(cwd, f), 'utf8'))));
const missing = packagesMissingChangesets(
  changed.map(({ json }) => json.name),
  covered,
);

if (missing.length > 0) {
  console.error(
    `✖ changesets: src/ changed since ${what} in ${missing.join(', ')}, but no changeset names ${missing.length > 1 ? 'them' : 'it'}.\n` +
      '  Run `pnpm changeset`, pick the package(s), the bump and one sentence for the changelog, and commit the file\n' +
      '  it writes in .changeset/ (CONTRIBUTING.md, "Adding a changeset").',
  );
  process.exit(1);
}
console.log(
  `✔ changesets: ${changed.length} package(s) changed since ${what}, each named by a changeset (${changesetFiles.length} considered)`,
);
