// Files that scripts/prepare.mjs writes before a build. These declarations let `tsc` check the
// site in a fresh clone, before the first build has generated them.
declare module '@site/src/generated/bench-results.json' {
  const value: unknown;
  export default value;
}

declare module '@site/src/generated/flowchart.json' {
  const value: unknown;
  export default value;
}
