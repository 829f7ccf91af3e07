import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { majorOf, pinnedVersion, selectedVersions, testedVersions } from '../lib/node-binaries.mjs';

const root = new URL('../../', import.meta.url);
const json = (path) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

test('engines in every package.json names exactly the tested majors', () => {
  const majors = testedVersions().map(majorOf);
  const ranges = majors.map((m) => `^${m}`);
  const paths = [
    'package.json',
    ...readdirSync(new URL('packages/', root)).map((d) => `packages/${d}/package.json`),
    ...readdirSync(new URL('apps/', root)).map((d) => `apps/${d}/package.json`),
  ];
  for (const path of paths) {
    const engines = json(path).engines?.node ?? '';
    const named = engines.split('||').map((r) => r.trim().replace(/\.\d+\.\d+$/, ''));
    assert.deepEqual(
      named,
      ranges,
      `${path}: engines.node is "${engines}", the tested majors are ${majors.join(', ')}`,
    );
  }
});

test('the CI workflow matrix lists the same majors', () => {
  const workflow = readFileSync(new URL('.github/workflows/ci.yml', root), 'utf8');
  const matrix = /node: \[([^\]]*)\]/
    .exec(workflow)?.[1]
    .split(',')
    .map((s) => Number(s.trim()));
  assert.deepEqual(matrix, testedVersions().map(majorOf));
});

test('FORKROAD_TEST_NODES selects all, the current one, or some majors, and refuses unknown ones', () => {
  const all = testedVersions();
  assert.deepEqual(selectedVersions({}), all);
  assert.deepEqual(selectedVersions({ FORKROAD_TEST_NODES: 'all' }), all);
  assert.deepEqual(
    selectedVersions({ FORKROAD_TEST_NODES: 'current' }).map(majorOf),
    all.map(majorOf).filter((m) => m === majorOf(process.version)),
  );
  const last = all.at(-1);
  assert.deepEqual(selectedVersions({ FORKROAD_TEST_NODES: String(majorOf(last)) }), [last]);
  assert.throws(() => selectedVersions({ FORKROAD_TEST_NODES: '19' }), /does not pin/);
});

test('pinnedVersion gives the pinned version of a major and refuses one that is not pinned', () => {
  for (const version of testedVersions()) assert.equal(pinnedVersion(majorOf(version)), version);
  assert.throws(() => pinnedVersion(19), /pins no Node 19/);
});
