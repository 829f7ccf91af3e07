import type { Runtime } from '@forkroad/decide';

const PYTHON = /^(python|pypy)[\d.]*t?$|\.py$/;
const NODE = /^(node|nodejs|tsx|ts-node|bun|deno)$|\.(js|mjs|cjs|ts|mts)$/;
/** Launchers whose own arguments come before the program (`uv run python3 app.py`, `env X=1 node …`). */
const LAUNCHERS = /^(uv|poetry|pipenv|pdm|hatch|rye|pyenv|npx|pnpm|yarn|env|time|nice|exec|run)$|=|^-/;

/**
 * The runtime a command runs, when its words say so (`python3 app.py`, `uv run python app.py`,
 * `node app.js`, `./script.py`); `undefined` when they do not. Only the program's name is read,
 * not its behaviour: this picks the runtime to advise for, never the workload.
 */
export function runtimeOfCommand(argv: readonly string[]): Runtime | undefined {
  for (const word of argv.slice(0, 6)) {
    const name = word.slice(word.lastIndexOf('/') + 1);
    if (PYTHON.test(name)) return 'python';
    if (NODE.test(name)) return 'node';
    if (!LAUNCHERS.test(name)) return undefined;
  }
  return undefined;
}
