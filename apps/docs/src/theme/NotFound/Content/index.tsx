import Link from '@docusaurus/Link';
import type { Props } from '@theme/NotFound/Content';
import clsx from 'clsx';
import type { ReactNode } from 'react';

/** The 404 page: says what happened and offers the way back to the guide, the advisor and search. */
export default function NotFoundContent({ className }: Props): ReactNode {
  return (
    <main className={clsx('container margin-vert--xl', className)}>
      <div className="row">
        <div className="col col--6 col--offset-3 forkroad-prose">
          <h1 className="hero__title">Page not found</h1>
          <p>There is no page at this address. It may have moved, or the link may have a typo.</p>
          <ul data-testid="not-found-links">
            <li>
              <Link to="/docs/intro">Start the guide</Link>: I/O-bound or CPU-bound, and which model fits.
            </li>
            <li>
              <Link to="/docs/advisor">Ask the advisor</Link>: answer a few questions, get a recommendation.
            </li>
            <li>
              <Link to="/">Go to the home page</Link>, or search the docs with the box at the top.
            </li>
          </ul>
        </div>
      </div>
    </main>
  );
}
