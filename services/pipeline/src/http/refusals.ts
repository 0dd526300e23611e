import { ConflictError, type DomainError, ForbiddenError } from '@delivery/service-kit';
import { z } from 'zod';
import { type FactChange, isRefused, type Refused } from '../domain/fact-changes.js';
import type { ProjectState } from '../domain/project-state.js';

/** A refused fact change as HTTP: invalid answers are 400 with their field paths, a person without the relation to the project 403, the rest 409. */
export function refusalError(refusal: Refused): DomainError | z.ZodError {
  if (refusal.refused === 'invalid') {
    const issues = (refusal.details?.issues ?? []) as { path: string; message: string }[];
    return new z.ZodError(
      issues.map((issue) => ({
        code: 'custom' as const,
        path: issue.path.split('.'),
        message: issue.message,
        input: undefined,
      })),
    );
  }
  if (refusal.refused === 'forbidden') return new ForbiddenError(refusal.message, refusal.details);
  return new ConflictError(refusal.message, refusal.details);
}

/** Turns a fact change into what the orchestrator applies: the new project, or a thrown refusal. */
export const orRefuse =
  (change: (project: ProjectState) => FactChange) =>
  (project: ProjectState): ProjectState => {
    const outcome = change(project);
    if (isRefused(outcome)) throw refusalError(outcome);
    return outcome;
  };
