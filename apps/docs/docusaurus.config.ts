import type { Config } from '@docusaurus/types';
import { themes as prismThemes } from 'prism-react-renderer';

// The site is assembled from individual plugins rather than preset-classic: no blog, no
// search, no versions, no i18n. That keeps `docusaurus build` lean on a 2-core machine.
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
    mermaid: true,
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
      },
    ],
    ['@docusaurus/plugin-content-pages', {}],
    ['@docusaurus/plugin-sitemap', { changefreq: null, priority: null, lastmod: null }],
  ],
  themes: [['@docusaurus/theme-classic', { customCss: './src/css/custom.css' }], '@docusaurus/theme-mermaid'],
  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: {
      title: 'forkroad',
      logo: { alt: 'forkroad', src: 'img/favicon.svg' },
      items: [
        { type: 'docSidebar', sidebarId: 'guide', position: 'left', label: 'Guide' },
        { to: '/docs/advisor', label: 'Advisor', position: 'left' },
        { to: '/docs/benchmarks', label: 'Benchmarks', position: 'left' },
        { to: '/docs/cli', label: 'CLI', position: 'left' },
        { to: '/docs/api', label: 'API', position: 'left' },
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
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash', 'json', 'python'],
    },
    mermaid: { theme: { light: 'neutral', dark: 'dark' } },
  },
};

export default config;
