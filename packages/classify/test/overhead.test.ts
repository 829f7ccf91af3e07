// What measuring costs: the sampler's own CPU while it watches a 1 s command.
import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../src/index.js';

const linux = process.platform === 'linux';

describe.skipIf(!linux)('measurement overhead', () => {
  it('sampling a 1 s command costs this process at most 5% of its wall time in CPU', async () => {
    // Once, so that loading and compiling the sampler is not counted as its running cost.
    await classifyCommand(['sleep', '0.05']);
    const before = process.cpuUsage();
    const r = await classifyCommand(['sleep', '1']);
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    expect(r.kind).toBe('io-bound');
    expect(cpuMs).toBeLessThanOrEqual(0.05 * r.wallMs);
  });
});
