import { type PrismTheme, themes } from 'prism-react-renderer';

// prism-react-renderer's GitHub and Dracula themes, with the token colours that fall below
// 4.5:1 against their own background replaced by darker (light) or lighter (dark) shades.
const LIGHT_COLOURS: Record<string, string> = {
  '#999988': '#6a6a5a', // comments 2.71 → 5.16
  '#e3116c': '#b8105a', // strings 4.32 → 6.05
  '#36acaa': '#127775', // numbers, properties 2.58 → 5.03
  '#00a4db': '#0077a8', // keywords, attribute names 2.69 → 4.69
  '#d73a49': '#b52a3b', // functions, tags 4.30 → 5.87
};
const DARK_COLOURS: Record<string, string> = {
  'rgb(98, 114, 164)': '#9aa5ce', // comments 3.03 → 5.86
};

function recolour(theme: PrismTheme, colours: Record<string, string>): PrismTheme {
  return {
    ...theme,
    styles: theme.styles.map((entry) => {
      const colour = entry.style.color;
      const replacement = colour === undefined ? undefined : colours[colour];
      return replacement === undefined ? entry : { ...entry, style: { ...entry.style, color: replacement } };
    }),
  };
}

export const prismLight = recolour(themes.github, LIGHT_COLOURS);
export const prismDark = recolour(themes.dracula, DARK_COLOURS);
