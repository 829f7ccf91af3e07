import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { flowchart, toMermaid } from '../src/index.js';

it("the README's flowchart is toMermaid(flowchart)", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBe(toMermaid(flowchart));
});
