/** The Operations area's views, chosen by `?view=` so a view can be shared as a link. */
export const VIEWS = [
  { id: 'jobs', label: 'Jobs' },
  { id: 'dead-letters', label: 'Dead letters' },
  { id: 'gates', label: 'Gates' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

export function viewOf(params: URLSearchParams): ViewId {
  const asked = params.get('view');
  return VIEWS.find((view) => view.id === asked)?.id ?? 'jobs';
}

/** The link to a view, keeping what else the URL holds (the project whose overrides are open). */
export function viewLink(params: URLSearchParams, view: ViewId): string {
  const next = new URLSearchParams(params);
  next.set('view', view);
  return `?${next}`;
}
