// Types of readmes.mjs, for the test that runs its check.
export function readmeFiles(): string[];
export function regenerate(
  text: string,
  results: unknown,
  file: string,
  named?: (name: string) => unknown,
): string;
export function staleReadmes(resultsFile?: string): string[];
