import ScrollTable, { HeaderCell } from '@site/src/components/ScrollTable';
import MDXComponents from '@theme-original/MDXComponents';

// Every Markdown table gets a focusable, labelled scroll area; empty header cells become data cells.
export default {
  ...MDXComponents,
  table: ScrollTable,
  th: HeaderCell,
};
