/** Ajv's validation errors as the `errors[]` of a `validation_failed` problem. */
import { type FieldError, ProblemError } from '@emotion-app/protocol';
import type { FastifyError } from 'fastify';

interface AjvError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fieldPath(e: AjvError): string {
  const base = (e.instancePath ?? '')
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required' && typeof e.params?.missingProperty === 'string') {
    base.push(e.params.missingProperty);
  }
  if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
    base.push(e.params.additionalProperty);
  }
  return base.join('.');
}

/** One entry per failing field and message, paths dotted (`password`, `faces.0.box`). */
export function fieldErrors(validation: readonly AjvError[]): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of validation) {
    const path = fieldPath(e);
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') message = 'is required';
    if (e.keyword === 'format' && e.params?.format === 'email') message = 'must be a valid email address';
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}

/**
 * The 400 `validation_failed` problem of a schema validation error: every failing field in
 * `errors[]`, and a detail that lists them.
 */
export function validationProblem(error: FastifyError): ProblemError {
  const errors = fieldErrors((error.validation ?? []) as AjvError[]);
  return new ProblemError({
    code: 'validation_failed',
    detail: errors.map((e) => `${e.path || error.validationContext || 'body'} ${e.message}`).join('; '),
    errors,
  });
}
