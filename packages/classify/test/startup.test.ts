// Commands whose start-up dwarfs their work, and commands that fail.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../src/index.js';
import { FAILED_CONFIDENCE_CAP } from '../src/thresholds.js';
import { hasPython, python } from './helpers.js';

const linux = process.platform === 'linux';

// Imports a good part of the standard library, then waits in 8 threads for 0.6 s.
const startupHeavy = `
import argparse, asyncio, decimal, email.parser, http.client, json, logging, sqlite3, tarfile
import unittest, urllib.request, xml.etree.ElementTree, zipfile
import threading, time
threads = [threading.Thread(target=time.sleep, args=(0.6,)) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
`;

describe.skipIf(!linux || !hasPython)('classifyCommand: start-up apart from the steady state', () => {
  it('a Python script that imports much, then sleeps in 8 threads: io-bound, start-up on its own', async () => {
    const r = await classifyCommand([python!, '-c', startupHeavy]);
    expect(r.kind).toBe('io-bound');
    expect(r.labelFrom).toBe('steady');
    const [startup, steady] = r.phases!;
    expect(startup?.name).toBe('start-up');
    expect(steady?.name).toBe('steady');
    expect(startup!.computeShare).toBeGreaterThan(steady!.computeShare);
    expect(steady!.wallMs).toBeGreaterThan(450);
    expect(r.evidence.join('\n')).toMatch(/^start-up: .* set apart/m);
    expect(r.runtime).toMatchObject({ name: 'python', gil: true });
    // Phases cover the run in order, and every window carries its phase.
    expect(startup!.startMs + startup!.wallMs).toBeCloseTo(steady!.startMs, 5);
    expect(r.timeline!.some((w) => w.phase === 'start-up')).toBe(true);
  });
});

describe.skipIf(!linux)('classifyCommand: a failed run', () => {
  it('is reported first, with the tail of stderr, and its confidence is capped', async () => {
    const r = await classifyCommand(['sh', '-c', 'echo "Traceback: no module named nope" >&2; exit 1']);
    expect(r.failure).toMatchObject({ exitCode: 1, signal: null, timedOut: false });
    expect(r.failure!.message).toBe('exited with code 1');
    expect(r.failure!.stderrTail).toContain('no module named nope');
    expect(r.evidence[0]).toMatch(/^FAILED: exited with code 1.*no module named nope/);
    expect(r.confidence).toBeLessThanOrEqual(FAILED_CONFIDENCE_CAP);
  });

  it('a killed command is a failure too; a command that exits 0 has none', async () => {
    const killed = await classifyCommand(['sh', '-c', 'kill -9 $$']);
    expect(killed.failure?.signal).toBe('SIGKILL');
    const ok = await classifyCommand(['sh', '-c', 'exit 0']);
    expect(ok.failure).toBeUndefined();
  });
});

describe.skipIf(!linux || !hasPython)('classifyCommand: a launcher before the interpreter', () => {
  it('a shim script named python3 that execs the interpreter: its cost is said, and counted in the start-up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forkroad-shim-'));
    try {
      const shim = join(dir, 'python3');
      // Like a pyenv shim: a shell script that works a little, then execs the real interpreter.
      writeFileSync(
        shim,
        `#!/bin/sh\ni=0; while [ $i -lt 20000 ]; do i=$((i+1)); done\nexec "${python}" "$@"\n`,
      );
      chmodSync(shim, 0o755);
      const r = await classifyCommand([shim, '-c', 'import time; time.sleep(0.5)']);
      expect(r.kind).toBe('io-bound');
      expect(r.runtime?.name).toBe('python');
      expect(r.launcher).toMatchObject({ name: 'python3' });
      expect(r.launcher!.processes).toBeGreaterThanOrEqual(1);
      expect(r.launcher!.wallMs).toBeGreaterThan(0);
      expect(r.evidence.join('\n')).toMatch(
        /launcher 'python3' .* before python started: counted in the start-up/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
