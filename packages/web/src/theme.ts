import { Anchor, type CSSVariablesResolver, createTheme, NavLink, Notification } from '@mantine/core';

/**
 * Mantine's defaults with contrast raised to WCAG AA (checked by axe in the browser suite):
 * filled colours one shade darker with black or white text picked per colour, dimmed text and
 * links darker in light mode and lighter in dark mode, links in text always underlined.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  luminanceThreshold: 0.2,
  defaultRadius: 'md',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji"',
  components: {
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } },
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    }),
    // The current page's link: filled, so its label keeps its contrast when hovered.
    NavLink: NavLink.extend({ defaultProps: { variant: 'filled' } }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = (current) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': current.colors.gray[7],
    '--mantine-color-anchor': current.colors.indigo[8],
  },
  dark: {
    '--mantine-color-dimmed': current.colors.dark[1],
    '--mantine-color-anchor': current.colors.indigo[3],
  },
});
