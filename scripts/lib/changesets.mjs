// The two pure parts of the changeset check, apart so that they are tested without git.

/** The package names a changeset file's front matter bumps ('"@forkroad/x": minor' lines). */
export function changesetPackages(markdown) {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(markdown);
  if (!front) return [];
  return front[1]
    .split(/\r?\n/)
    .map((line) => /^\s*["']?([^"':\s][^"':]*)["']?\s*:\s*(major|minor|patch|none)\s*$/.exec(line)?.[1])
    .filter(Boolean);
}

/** The changed packages that no changeset names, in the order given. */
export function packagesMissingChangesets(changed, covered) {
  return changed.filter((name) => !covered.has(name));
}
