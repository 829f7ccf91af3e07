import { readFileSync } from 'node:fs';
import type { Config } from '@docusaurus/types';
import { prismDark, prismLight } from './src/lib/prism-themes';

// The site is assembled from individual plugins rather than preset-classic: no blog, no
// versions, no i18n. That keeps `docusaurus build` lean on a 2-core machine. Search is
// offline: the index is built with the site and served from it.

const REPOSITORY = 'https://github.com/forkroad/forkroad';
/** The version of the packages the docs describe (the CLI's, which the changesets keep in step). */
const VERSION: string = JSON.parse(
  readFileSync(new URL('../../packages/cli/package.json', import.meta.url), 'utf8'),
).version;
const config: Config = {
  title: 'forkroad',
  tagline: 'Is your work waiting or computing? Pick the concurrency model that fits, in Node.js or Python.',
  favicon: 'img/favicon.svg',
  url: 'http://localhost',
  baseUrl: '/',
  trailingSlash: false,
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  future: {
    faster: false,
    // No "last updated" data is shown, so the build never needs to ask git.
    experimental_vcs: 'disabled',
  },
  markdown: {
    // .md files (the generated API reference among them) are plain CommonMark; .mdx is MDX.
    format: 'detect',
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },
  i18n: { defaultLocale: 'en', locales: ['en'] },
  plugins: [
    [
      '@docusaurus/plugin-content-docs',
      {
        path: 'docs',
        routeBasePath: 'docs',
        sidebarPath: './sidebars.ts',
        // The API reference is generated from the packages' sources: edit those, not the page.
        editUrl: ({ docPath }: { docPath: string }) =>
          docPath.startsWith('api/') ? undefined : `${REPOSITORY}/edit/main/apps/docs/docs/${docPath}`,
      },
    ],
    ['@docusaurus/plugin-content-pages', {}],
    ['@docusaurus/plugin-sitemap', { changefreq: null, priority: null, lastmod: null }],
  ],
  themes: [
    ['@docusaurus/theme-classic', { customCss: './src/css/custom.css' }],
    [
      '@easyops-cn/docusaurus-search-local',
      {
        indexDocs: true,
        indexBlog: false,
        indexPages: true,
        docsRouteBasePath: '/docs',
        language: ['en'],
        hashed: 'filename',
        explicitSearchResultPath: true,
        searchBarShortcutKeymap: 'mod+k',
      },
    ],
  ],
  clientModules: ['./src/client/escape-closes-menu.ts'],
  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: {
      title: 'forkroad',
      // The title beside it names the site: the logo is decoration.
      logo: { alt: '', src: 'img/favicon.svg' },
      // One item per section, so exactly one carries aria-current="page".
      items: [
        { to: '/docs/intro', label: 'Guide', position: 'left', activeBaseRegex: '^/docs/(intro|guide/)' },
        { to: '/docs/advisor', label: 'Advisor', position: 'left' },
        { to: '/docs/benchmarks', label: 'Benchmarks', position: 'left', activeBasePath: '/docs/benchmarks' },
        { to: '/docs/cli', label: 'CLI', position: 'left' },
        { to: '/docs/api', label: 'API', position: 'left', activeBasePath: '/docs/api' },
        {
          href: `${REPOSITORY}/releases`,
          label: `v${VERSION}`,
          'aria-label': `v${VERSION}: release notes of the forkroad packages`,
          position: 'right',
        },
        { type: 'search', position: 'right' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Guide',
          items: [
            { label: 'Start here', to: '/docs/intro' },
            { label: 'The decision', to: '/docs/guide/decision' },
            { label: 'Patterns', to: '/docs/guide/patterns' },
          ],
        },
        {
          title: 'Tools',
          items: [
            { label: 'Advisor', to: '/docs/advisor' },
            { label: 'Benchmarks', to: '/docs/benchmarks' },
            { label: 'CLI', to: '/docs/cli' },
          ],
        },
      ],
      copyright: 'forkroad contributors. MIT licensed.',
    },
    prism: {
      theme: prismLight,
      darkTheme: prismDark,
      additionalLanguages: ['bash', 'json', 'python'],
    },
  },
};

export default config;
