import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { untypedApi } from '../../api/client';
import type { Page, ProjectSummary } from '../../api/types';
import type { JobStatus, JobView } from './types';

const JOB_PAGE_SIZE = 50;

/** Jobs of one status, newest first, a page at a time; under ['jobs'] so job events refresh them. */
export function useJobPages(status: JobStatus) {
  return useInfiniteQuery({
    queryKey: ['jobs', 'list', status],
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ status, limit: String(JOB_PAGE_SIZE) });
      if (pageParam) query.set('cursor', pageParam);
      return untypedApi<Page<JobView>>('GET', `/api/jobs?${query}`);
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * Project names for the job tables (jobs carry only the id). The board's query, so both share
 * the cache; a project beyond it shows by id.
 */
export function useProjectNames(): Map<string, string> {
  const query = new URLSearchParams({ limit: '200' }).toString();
  const projects = useQuery({
    queryKey: ['projects', query],
    queryFn: () => untypedApi<Page<ProjectSummary>>('GET', `/api/projects?${query}`),
  });
  return new Map((projects.data?.items ?? []).map((project) => [project.id, project.name]));
}
