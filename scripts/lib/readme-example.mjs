// A package README's first example, as the packed-package check runs it. The example is the run
// of fenced code blocks whose info string names a file, from the first such block to the next
// heading:
//
//   ```js file=tasks.mjs            written to tasks.mjs
//   ```js file=main.mjs run         written, and run with node (a .sh file runs with bash)
//   ```js file=main.mjs run needs=redis   …with REDIS_URL set to a redis-server started for it
//
// A README that must not have one says so: <!-- example: none, because … -->

const fence = /^```(\S*)([^\n]*)\n([\s\S]*?)^```\s*$/gm;

/** { files: [{ name, code }], run?: string, needs: string[], exempt?: string } */
export function readmeExample(markdown) {
  const exempt = /<!--\s*example:\s*none,?\s*([\s\S]*?)-->/.exec(markdown);
  if (exempt) return { files: [], needs: [], exempt: exempt[1].trim() };
  const files = [];
  let run;
  const needs = [];
  let endOfSection = Number.POSITIVE_INFINITY;
  for (const match of markdown.matchAll(fence)) {
    if (match.index > endOfSection) break;
    const meta = match[2] ?? '';
    const name = /(?:^|\s)file=(\S+)/.exec(meta)?.[1];
    if (!name) continue;
    if (files.length === 0) {
      const nextHeading = markdown.slice(match.index).search(/^#{1,6} /m);
      endOfSection = nextHeading === -1 ? Number.POSITIVE_INFINITY : match.index + nextHeading;
    }
    files.push({ name, code: match[3] });
    if (/(?:^|\s)run(?:\s|$)/.test(meta)) run = name;
    const need = /(?:^|\s)needs=(\S+)/.exec(meta)?.[1];
    if (need) needs.push(...need.split(','));
  }
  return { files, run, needs };
}
