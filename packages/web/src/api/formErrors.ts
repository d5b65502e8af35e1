import { ApiError, errorMessage, fieldName } from './problem.js';

export interface SplitErrors {
  /** Messages to show under the matching inputs. */
  fields: Record<string, string>;
  /** A message for the whole form, when the error concerns no single field. */
  general: string | null;
}

/** "is incorrect" → "Is incorrect.": server messages are often fragments meant to follow a field name. */
function sentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * Places a problem+json error on the form: `errors[]` entries go next to the field they name,
 * codes listed in `codeFields` (e.g. weak_password → password) go to that field, the rest is general.
 */
export function splitError(
  error: unknown,
  knownFields: readonly string[],
  codeFields: Record<string, string> = {},
  aliases: Record<string, string> = {},
): SplitErrors {
  const fields: Record<string, string> = {};
  const leftovers: string[] = [];
  if (error instanceof ApiError) {
    for (const item of error.errors ?? []) {
      const raw = fieldName(item.path);
      const name = aliases[raw] ?? raw;
      if (knownFields.includes(name)) {
        fields[name] ??= sentence(item.message);
      } else {
        leftovers.push(sentence(item.message));
      }
    }
    const target = codeFields[error.code];
    if (target && fields[target] === undefined) {
      fields[target] = error.detail ?? errorMessage(error);
    }
  }
  if (Object.keys(fields).length > 0) {
    return { fields, general: leftovers.length > 0 ? leftovers.join(' ') : null };
  }
  return { fields, general: errorMessage(error) };
}
