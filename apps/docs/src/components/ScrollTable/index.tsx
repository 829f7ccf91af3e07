import type { ComponentProps, ReactNode } from 'react';

/**
 * A table in a scroll area the keyboard can reach: a wide table scrolls sideways instead of
 * widening the page, and a keyboard user can focus the area to scroll it.
 */
export default function ScrollTable(props: ComponentProps<'table'>): ReactNode {
  return (
    <section
      className="forkroad-table-scroll"
      aria-label="Table (scrolls sideways)"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll area must be reachable by keyboard to scroll it.
      tabIndex={0}
    >
      <table {...props} />
    </section>
  );
}

/**
 * A header cell; an empty one (a table's corner) is a data cell, since a header must name
 * something.
 */
export function HeaderCell(props: ComponentProps<'th'>): ReactNode {
  const { children, ...rest } = props;
  const empty =
    children === undefined || children === null || (typeof children === 'string' && children.trim() === '');
  return empty ? <td {...(rest as ComponentProps<'td'>)} /> : <th {...props} />;
}
