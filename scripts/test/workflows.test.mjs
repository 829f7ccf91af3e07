import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../check-workflows.mjs', import.meta.url));

test('the workflow check fails on a workflow with a broken expression', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forkroad-workflow-'));
  try {
    const file = join(dir, 'bad.yml');
    writeFileSync(
      file,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
      'name: bad\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n',
    );
    const run = spawnSync(process.execPath, [script, file], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /evnt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
