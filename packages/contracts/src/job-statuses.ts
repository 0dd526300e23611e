// Zod-free (`@delivery/contracts/job-statuses`): the web app counts and filters jobs by status
// without the schemas; jobs.ts builds `jobStatusSchema` from the list.

export const JOB_STATUSES = ['QUEUED', 'RUNNING', 'SUCCESS', 'FAILED', 'NEEDS_HUMAN', 'CANCELED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
