/**
 * emotion-api's options for service-kit's problem plugin: the kit maps every error (protocol's
 * `ProblemError`, auth-client's `AuthError` with its status, code, fields and Retry-After,
 * validation, body and multipart limits); here only what is emotion-api's own.
 */
import { ProblemError } from '@emotion-app/protocol';
import type { ProblemPluginOptions } from '@emotion-app/service-kit';
import type { Config } from '../config.js';
import { sendSpa, wantsSpa } from '../web/web.routes.js';

/**
 * A content type no parser takes is 415 for every route; emotion-api takes JSON, and multipart
 * on POST /detect. Unknown GET paths that want HTML get the web app's index.html.
 *
 * @example
 * ```ts
 * await app.register(problemPlugin, problemOptions(config));
 * ```
 */
export function problemOptions(config: Pick<Config, 'webDist'>): ProblemPluginOptions {
  return {
    mapError: (error) =>
      (error as { code?: unknown }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? new ProblemError({
            code: 'unsupported_media_type',
            detail: 'Send application/json, or multipart/form-data to POST /detect.',
          })
        : undefined,
    onNotFound: (request, reply) => {
      if (!config.webDist || !wantsSpa(request)) return false;
      sendSpa(reply);
      return true;
    },
  };
}
