// Preload of the re-launched benchmark (see harness.ts): registers tsx in the benchmark's own
// main thread only. The marker is removed at once, so worker threads (which copy process.env when
// they start) and child processes (which inherit it) skip this and start as under plain node.
if (process.env.FORKROAD_BENCH_TSX === '1') {
  delete process.env.FORKROAD_BENCH_TSX;
  const { register } = await import('tsx/esm/api');
  register();
}
