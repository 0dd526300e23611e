import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

/**
 * Every read of the page sits under ['project', id, …]: a live event about the project (its stage,
 * its jobs, its approvals) marks them all stale, so the page follows along without a reload.
 */
export const projectKey = (id: string, ...rest: string[]) => ['project', id, ...rest];

const onProject = (id: string) => ({ params: { id } });

export const useProject = (id: string) =>
  useQuery({
    queryKey: projectKey(id, 'detail'),
    queryFn: () => api('GET /api/projects/:id', onProject(id)),
  });

export const usePipeline = (id: string) =>
  useQuery({
    queryKey: projectKey(id, 'pipeline'),
    queryFn: () => api('GET /api/projects/:id/pipeline', onProject(id)),
  });

export const useWhy = (id: string) =>
  useQuery({
    queryKey: projectKey(id, 'why'),
    queryFn: () => api('GET /api/projects/:id/why', onProject(id)),
  });

export const useFiles = (id: string) =>
  useQuery({
    queryKey: projectKey(id, 'artifacts'),
    queryFn: () => api('GET /api/projects/:id/artifacts', onProject(id)),
  });

export const useTimeline = (id: string) =>
  useQuery({
    queryKey: projectKey(id, 'timeline'),
    queryFn: () => api('GET /api/projects/:id/timeline', onProject(id)),
  });

/** A stage's job, kept under the project's key so the job's own events (which name the project) refresh it. */
export const useJob = (projectId: string, jobId: string | null) =>
  useQuery({
    queryKey: projectKey(projectId, 'job', jobId ?? ''),
    queryFn: () => api('GET /api/jobs/:id', { params: { id: jobId ?? '' } }),
    enabled: jobId !== null,
  });

/**
 * A change to the project: afterwards everything about it is stale (and the board's list and the
 * job lists may be too), so the page shows the outcome at once rather than at the next event.
 */
export function useProjectChange<Input, Output = unknown>(
  id: string,
  run: (input: Input) => Promise<Output>,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['project', id] }),
        client.invalidateQueries({ queryKey: ['projects'] }),
        client.invalidateQueries({ queryKey: ['jobs'] }),
      ]),
  });
}
