/**
 * Number formatting for every place that shows benchmark numbers: the CLI's tables, the README
 * tables and the docs site (which imports it from `@forkroad/bench/report`, so no Node built-in
 * may be imported here). Deterministic: it does not depend on the runtime's locale data.
 */

/** Digits after the point for a value of this size: three significant digits, at most. */
export function decimals(abs: number): number {
  if (abs >= 100 || abs === 0) return 0;
  if (abs >= 10) return 1;
  if (abs >= 1) return 2;
  return 3;
}

/** A number with thousands separators and a precision that suits its size: `5,123`, `12.3`, `0.123`. */
export function formatNumber(value: number, digits = decimals(Math.abs(value))): string {
  if (!Number.isFinite(value)) return String(value);
  const [whole, fraction] = Math.abs(value).toFixed(digits).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Bytes in binary units: `512 B`, `2.94 KiB`, `45.7 MiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value, unit === 0 ? 0 : decimals(Math.abs(value)))} ${BYTE_UNITS[unit]}`;
}
