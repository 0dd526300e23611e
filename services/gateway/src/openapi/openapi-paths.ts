/** `/projects/:id/artifacts/:fileId` → `/projects/{id}/artifacts/{fileId}`. */
export const openApiPathOf = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

/** The names of an express path's parameters, in order. */
export const pathParameterNames = (expressPath: string) =>
  [...expressPath.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
