import { emitKeypressEvents } from 'node:readline';
import { wrap } from './render.js';

/** The terminal a prompt talks to. */
export interface PromptIO {
  stdin: NodeJS.ReadableStream & {
    isTTY?: boolean;
    isRaw?: boolean;
    setRawMode?: (mode: boolean) => unknown;
  };
  output: NodeJS.WritableStream & { columns?: number };
}

export interface Choice<T> {
  label: string;
  value: T;
}

/** Thrown when the user leaves a prompt (Ctrl-C, Ctrl-D, or the input ends). */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled';
  constructor() {
    super('cancelled');
  }
}

interface Key {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  sequence?: string;
}

const ESC = '\x1b[';
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const bold = (s: string) => `${ESC}1m${s}${ESC}22m`;
const dim = (s: string) => `${ESC}2m${s}${ESC}22m`;
const cyan = (s: string) => `${ESC}36m${s}${ESC}39m`;

/**
 * Asks one question with a list of choices: ↑/↓ (or k/j, Tab) move, 1–9 pick directly, Enter
 * confirms; the cursor starts on `initial` (an index into `choices`). Reads keypresses in raw
 * mode and restores the terminal afterwards.
 *
 * @throws PromptCancelled on Ctrl-C, Ctrl-D or the end of the input.
 */
export function select<T>(
  io: PromptIO,
  question: string,
  choices: readonly Choice<T>[],
  help?: string,
  initial = 0,
): Promise<T> {
  const { stdin, output } = io;
  return new Promise<T>((resolve, reject) => {
    let index = initial >= 0 && initial < choices.length ? initial : 0;
    const wasRaw = stdin.isRaw === true;
    emitKeypressEvents(stdin);
    stdin.setRawMode?.(true);

    const drawChoices = () =>
      choices
        .map((c, i) =>
          i === index
            ? `${cyan('❯')} ${cyan(`${i + 1}. ${c.label}`)}\n`
            : `  ${dim(`${i + 1}.`)} ${c.label}\n`,
        )
        .join('');
    const redraw = () => output.write(`${ESC}${choices.length}A\r${ESC}J${drawChoices()}`);

    const finish = (error: Error | undefined) => {
      stdin.removeListener('keypress', onKey);
      stdin.removeListener('end', onEnd);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      if (error !== undefined) {
        output.write(`${SHOW_CURSOR}\n`);
        reject(error);
        return;
      }
      const chosen = choices[index]!;
      output.write(`${ESC}${choices.length}A\r${ESC}J  ${cyan(chosen.label)}\n${SHOW_CURSOR}`);
      resolve(chosen.value);
    };
    const onEnd = () => finish(new PromptCancelled());
    const onKey = (text: string | undefined, key: Key | undefined) => {
      const name = key?.name;
      if (key?.ctrl && (name === 'c' || name === 'd')) return finish(new PromptCancelled());
      if (name === 'return' || name === 'enter') return finish(undefined);
      if (name === 'up' || name === 'k') index = (index + choices.length - 1) % choices.length;
      else if (name === 'down' || name === 'j' || name === 'tab') index = (index + 1) % choices.length;
      else if (text !== undefined && /^[1-9]$/.test(text) && Number(text) <= choices.length)
        index = Number(text) - 1;
      else return;
      redraw();
    };

    // The hint wraps to the terminal, so a long one does not break the layout the redraw relies on.
    const width = Math.min(output.columns && output.columns > 0 ? output.columns : 80, 100);
    const hint = help
      ? `${wrap(help, width - 2, '')
          .split('\n')
          .map((line) => `  ${dim(line)}`)
          .join('\n')}\n`
      : '';
    output.write(`${HIDE_CURSOR}${bold('?')} ${bold(question)}\n${hint}${drawChoices()}`);
    stdin.on('keypress', onKey);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
