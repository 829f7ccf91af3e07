import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe } from './validate.js';

/**
 * The file URL of a task module given as a URL, a file URL string or an absolute path.
 * Relative paths are refused: relative to what would be a guess.
 */
export function taskModuleUrl(reference: unknown): string {
  if (reference instanceof URL) return checkFileUrl(reference.href);
  if (typeof reference === 'string') {
    if (reference.startsWith('file:')) return checkFileUrl(reference);
    if (isAbsolute(reference)) return pathToFileURL(reference).href;
  }
  throw new TypeError(
    `task module must be a URL, a file URL string or an absolute path (try new URL('./tasks.js', import.meta.url)), got ${describe(reference)}`,
  );
}

function checkFileUrl(href: string): string {
  if (!href.startsWith('file:')) throw new TypeError(`task module URL must be a file: URL, got '${href}'`);
  return new URL(href).href;
}
