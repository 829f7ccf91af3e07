import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { changesetPackages, packagesMissingChangesets } from '../lib/changesets.mjs';

const script = fileURLToPath(new URL('../check-changesets.mjs', import.meta.url));

test('changesetPackages reads the bumped package names of the front matter', () => {
  const md = '---\n"@forkroad/threads": minor\n\'forkroad\': patch\n---\n\nText: with a colon: major\n';
  assert.deepEqual(changesetPackages(md), ['@forkroad/threads', 'forkroad']);
  assert.deepEqual(changesetPackages('no front matter'), []);
  assert.deepEqual(packagesMissingChangesets(['a', 'b', 'c'], new Set(['b'])), ['a', 'c']);
});

const repos = [];
after(() => {
  for (const dir of repos) rmSync(dir, { recursive: true, force: true });
});

function repo() {
  const dir = mkdtempSync(join(tmpdir(), 'forkroad-changesets-'));
  repos.push(dir);
  const git = (...args) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.invalid');
  git('config', 'user.name', 't');
  const write = (path, text) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const commit = (message) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };
  write('packages/alpha/package.json', '{"name":"@x/alpha","version":"1.0.0"}');
  write('packages/beta/package.json', '{"name":"@x/beta","version":"1.0.0"}');
  write('packages/internal/package.json', '{"name":"@x/internal","private":true}');
  write('packages/alpha/src/index.ts', 'export const a = 1;\n');
  write('packages/beta/src/index.ts', 'export const b = 1;\n');
  write('.changeset/README.md', 'changesets\n');
  commit('first');
  return { dir, git, write, commit };
}

function check(dir, env = {}) {
  const run = spawnSync(process.execPath, [script, dir], {
    encoding: 'utf8',
    env: { ...process.env, CHANGESET_BASE: '', ...env },
  });
  return { ok: run.status === 0, out: `${run.stdout}${run.stderr}` };
}

test('on main: a package whose src changed since the first commit needs a pending changeset', () => {
  const { dir, write, commit } = repo();
  write('packages/alpha/src/index.ts', 'export const a = 2;\n');
  write('packages/internal/src/index.ts', 'private: no changeset needed\n');
  commit('change alpha');
  const missing = check(dir);
  assert.equal(missing.ok, false);
  assert.match(missing.out, /@x\/alpha/);
  assert.doesNotMatch(missing.out, /@x\/beta|@x\/internal/);
  assert.match(missing.out, /pnpm changeset/);
  write('.changeset/alpha.md', '---\n"@x/alpha": patch\n---\n\nA fix.\n');
  commit('changeset');
  assert.equal(check(dir).ok, true);
});

test('after a release consumed the changesets, only later src changes count', () => {
  const { dir, write, commit, git } = repo();
  write('packages/alpha/src/index.ts', 'export const a = 2;\n');
  write('.changeset/alpha.md', '---\n"@x/alpha": patch\n---\n\nA fix.\n');
  commit('change alpha');
  git('rm', '-q', '.changeset/alpha.md');
  commit('Version packages');
  assert.equal(check(dir).ok, true);
  write('packages/beta/src/index.ts', 'export const b = 2;\n');
  commit('change beta');
  const out = check(dir);
  assert.equal(out.ok, false);
  assert.match(out.out, /@x\/beta/);
  assert.doesNotMatch(out.out, /@x\/alpha/);
});

test('on a branch: only changesets added since the base count', () => {
  const { dir, write, commit, git } = repo();
  write('.changeset/old.md', '---\n"@x/beta": patch\n---\n\nOld.\n');
  commit('pending beta changeset on main');
  git('checkout', '-q', '-b', 'feature');
  write('packages/beta/src/index.ts', 'export const b = 3;\n');
  commit('change beta on the branch');
  // On main's terms beta is covered by the pending changeset; on the branch's it is not.
  const branch = check(dir, { CHANGESET_BASE: 'main' });
  assert.equal(branch.ok, false);
  assert.match(branch.out, /@x\/beta/);
  write('.changeset/beta.md', '---\n"@x/beta": minor\n---\n\nNew.\n');
  commit('changeset');
  assert.equal(check(dir, { CHANGESET_BASE: 'main' }).ok, true);
});
