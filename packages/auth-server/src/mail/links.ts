import type { AppContext } from '../context.js';

/** A link into the web app (`PUBLIC_APP_URL`), optionally carrying a one-time token. */
export const appLink = (ctx: AppContext, path: string, token?: string): string =>
  `${ctx.config.publicAppUrl}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
