import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readmeExample } from '../lib/readme-example.mjs';

const F = '```';

test('the first example is the file= blocks up to the next heading; run and needs are read', () => {
  const md = [
    '# pkg',
    '',
    `${F}sh`,
    'npm install pkg',
    F,
    '',
    '## Quick start',
    '',
    `${F}js file=tasks.mjs`,
    'export const one = () => 1;',
    F,
    '',
    `${F}js file=main.mjs run needs=redis`,
    "console.log('hi');",
    F,
    '',
    '## Later',
    '',
    `${F}js file=other.mjs run`,
    'nope',
    F,
    '',
  ].join('\n');
  const example = readmeExample(md);
  assert.deepEqual(
    example.files.map((f) => f.name),
    ['tasks.mjs', 'main.mjs'],
  );
  assert.equal(example.run, 'main.mjs');
  assert.deepEqual(example.needs, ['redis']);
  assert.equal(example.files[0].code, 'export const one = () => 1;\n');
});

test('a README without tagged blocks has no example to run; an exemption says why', () => {
  assert.equal(readmeExample(`# x\n\n${F}js\nconsole.log(1)\n${F}\n`).run, undefined);
  assert.equal(
    readmeExample('<!-- example: none, because it is internal -->').exempt,
    'because it is internal',
  );
});

test("every publishable package's README has a runnable first example or says why not", () => {
  const root = new URL('../../', import.meta.url);
  const dirs = readdirSync(new URL('packages/', root)).filter(
    (dir) => !JSON.parse(readFileSync(new URL(`packages/${dir}/package.json`, root), 'utf8')).private,
  );
  assert.ok(dirs.length > 0);
  for (const dir of dirs) {
    const example = readmeExample(readFileSync(new URL(`packages/${dir}/README.md`, root), 'utf8'));
    assert.ok(
      example.exempt || example.run,
      `packages/${dir}/README.md: no file=… run block and no exemption`,
    );
  }
});
