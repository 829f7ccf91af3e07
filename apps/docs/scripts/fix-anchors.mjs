// typedoc-plugin-markdown and Docusaurus do not always agree on heading anchors (the plugin may
// count a reflection that is never rendered as a heading and link to `#name-1`). Docusaurus
// builds with onBrokenAnchors: 'throw', so after TypeDoc runs, every #anchor link in the
// generated pages is checked against the headings Docusaurus will slug, with the same slugger:
// a link to `#x-N` that does not exist is pointed at `#x` when that exists, and otherwise the
// link text is kept without the link.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import GithubSlugger from 'github-slugger';

/** The text Docusaurus would render for a Markdown heading's source. */
function headingText(source) {
  return source
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links
    .replace(/\\(.)/g, '$1') // escapes
    .replace(/[`*~]/g, '') // code, emphasis, strikethrough
    .replace(/\s+\{#[^}]+\}\s*$/, '') // explicit ids are not used by the plugin
    .trim();
}

/** The anchors Docusaurus will give the headings of a Markdown file. */
export function headingAnchors(markdown) {
  const slugger = new GithubSlugger();
  const anchors = new Set();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (match) anchors.add(slugger.slug(headingText(match[1])));
  }
  for (const id of markdown.matchAll(/<a id="([^"]+)"/g)) anchors.add(id[1]);
  return anchors;
}

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? markdownFiles(join(dir, entry.name))
      : entry.name.endsWith('.md')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Repairs the anchor links of every .md file under `dir`; returns how many were changed. */
export function fixAnchors(dir) {
  const files = markdownFiles(dir);
  const anchors = new Map(files.map((file) => [resolve(file), headingAnchors(readFileSync(file, 'utf8'))]));
  let changed = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(
      /\[((?:[^\]\\]|\\.)*)\]\(([^)\s#]*)#([^)\s]+)\)/g,
      (link, label, path, anchor) => {
        const target = path === '' ? resolve(file) : resolve(dirname(file), path);
        const known = anchors.get(target);
        if (!known || known.has(anchor)) return link; // not ours to check, or fine
        changed++;
        const base = anchor.replace(/-\d+$/, '');
        if (base !== anchor && known.has(base)) return `[${label}](${path}#${base})`;
        return label;
      },
    );
    if (fixed !== text) writeFileSync(file, fixed);
  }
  return changed;
}

if (process.argv[1] && basename(process.argv[1]) === 'fix-anchors.mjs') {
  const dir = resolve(process.argv[2] ?? 'docs/api');
  console.log(`${relative(process.cwd(), dir)}: ${fixAnchors(dir)} anchor link(s) repaired`);
}
