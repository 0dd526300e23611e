import { UnprocessableError } from '@delivery/service-kit';
import type { z } from 'zod';
import type { JobKindSpec, JobKinds, Payload } from '../handlers/handler.js';
import { redactSecrets } from '../handlers/secrets.js';

export interface FieldIssue {
  path: string;
  message: string;
}

/** Enqueue: the kind must be registered and the payload one its handler can run. */
export function checkEnqueue(kinds: JobKinds, kind: string, payload: Payload): void {
  const spec = specOf(kinds, kind);
  if (!spec) throw new UnprocessableError(`unknown job kind "${kind}"`, { kind, known: Object.keys(kinds) });
  const parsed = spec.payload.safeParse(payload);
  if (!parsed.success) throw invalid(`invalid ${kind} payload`, issuesOf(parsed.error, 'payload'));
}

/**
 * Resume: the payload the job runs with next. Only the kind's declared input is accepted, so a
 * resume cannot rewrite what the job does (an http job's url or headers).
 */
export function resumedPayload(kinds: JobKinds, kind: string, payload: Payload, input: Payload): Payload {
  const keys = Object.keys(input);
  if (keys.length === 0) return payload;
  const spec = specOf(kinds, kind);
  if (!spec?.resume) {
    const issues = keys.map((key) => ({
      path: `input.${key}`,
      message: `a ${kind} job takes no resume input`,
    }));
    throw invalid(`a ${kind} job takes no resume input`, issues);
  }
  const parsed = spec.resume.input.safeParse(input);
  if (!parsed.success) throw invalid(`invalid resume input`, issuesOf(parsed.error, 'input'));
  const merged = spec.resume.merge(payload, parsed.data);
  const checked = spec.payload.safeParse(merged);
  if (!checked.success)
    throw invalid(`invalid ${kind} payload after resume`, issuesOf(checked.error, 'payload'));
  return merged;
}

/** The payload as API outputs show it: the kind's declared secrets and credential-named keys as "***". */
export function redactedPayload(kinds: JobKinds, kind: string, payload: Payload): Payload {
  return redactSecrets(payload, specOf(kinds, kind)?.secrets) as Payload;
}

// Own properties only: a kind named "constructor" must not find Object's.
const specOf = (kinds: JobKinds, kind: string): JobKindSpec | undefined =>
  Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;

/** One issue per path; an unknown key is named by its own path rather than its parent's. */
function issuesOf(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = [prefix, ...issue.path.map(String)];
    if (issue.code !== 'unrecognized_keys') return [{ path: path.join('.'), message: issue.message }];
    return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'not an accepted field' }));
  });
}

/** The message names every path too: the enqueue command's dead-letter reason carries only the message. */
function invalid(what: string, issues: FieldIssue[]): UnprocessableError {
  const listed = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new UnprocessableError(`${what}: ${listed}`, { issues });
}
