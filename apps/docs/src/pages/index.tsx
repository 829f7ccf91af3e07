import Link from '@docusaurus/Link';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import CodeBlock from '@theme/CodeBlock';
import Layout from '@theme/Layout';
import type { ReactNode } from 'react';
import styles from './index.module.css';

const CARDS = [
  {
    title: 'Waiting or computing?',
    body: 'I/O-bound work waits; CPU-bound work computes. The answer decides which model helps.',
    to: '/docs/guide/concepts',
    cta: 'Read the guide',
  },
  {
    title: 'Three questions',
    body: 'The decision as a flowchart, drawn from the same data the advisor and the CLI walk.',
    to: '/docs/advisor',
    cta: 'Ask the advisor',
  },
  {
    title: 'Measured, not guessed',
    body: 'Sequential, async, threads and processes — Node.js and Python side by side.',
    to: '/docs/benchmarks',
    cta: 'See the numbers',
  },
];

const SAMPLE = `// or '@forkroad/async', '@forkroad/processes': switching model is changing one import
import { createExecutor } from '@forkroad/threads';

const pool = createExecutor(new URL('./tasks.js', import.meta.url));
for await (const prime of pool.map('isPrime', numbers)) console.log(prime);
await pool.shutdown();`;

export default function Home(): ReactNode {
  const { siteConfig } = useDocusaurusContext();
  return (
    <Layout title="Concurrency, decided" description={siteConfig.tagline}>
      <header className={styles.hero}>
        <div className="container">
          <h1 className={styles.title}>{siteConfig.title}</h1>
          <p className={styles.tagline}>{siteConfig.tagline}</p>
          <div className={styles.buttons}>
            <Link className="button button--primary button--lg" to="/docs/intro">
              Start here
            </Link>
            <Link className="button button--secondary button--lg" to="/docs/advisor">
              Advisor
            </Link>
          </div>
        </div>
      </header>
      <main className="container margin-vert--lg">
        <div className="row">
          {CARDS.map((card) => (
            <div key={card.title} className="col col--4 margin-bottom--lg">
              <h2>{card.title}</h2>
              <p>{card.body}</p>
              <Link to={card.to}>{card.cta} →</Link>
            </div>
          ))}
        </div>
        <div className={styles.code}>
          <CodeBlock language="js" title="Run a task module on worker threads">
            {SAMPLE}
          </CodeBlock>
        </div>
      </main>
    </Layout>
  );
}
