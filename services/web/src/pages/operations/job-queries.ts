import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { JobStatus } from '../../api/answers';
import { api } from '../../api/client';

const JOB_PAGE_SIZE = 50;

/** Jobs of one status, newest first, a page at a time; under ['jobs'] so job events refresh them. */
export function useJobPages(status: JobStatus) {
  return useInfiniteQuery({
    queryKey: ['jobs', 'list', status],
    queryFn: ({ pageParam }) =>
      api('GET /api/jobs', { query: { status, limit: JOB_PAGE_SIZE, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * Project names for the job tables (jobs carry only the id). The board's query, so both share
 * the cache; a project beyond it shows by id.
 */
export function useProjectNames(): Map<string, string> {
  const query = { limit: 200 };
  const projects = useQuery({
    queryKey: ['projects', query],
    queryFn: () => api('GET /api/projects', { query }),
  });
  return new Map((projects.data?.items ?? []).map((project) => [project.id, project.name]));
}
