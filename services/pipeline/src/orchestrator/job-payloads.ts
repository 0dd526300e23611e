import { reportNames } from '../domain/failed-files.js';
import type { ProjectState } from '../domain/project-state.js';

/**
 * What each stage's job is given. Everything it needs is inlined or linked to this service's API
 * (`publicUrl`), which the job-runner's workers read with their own service identity.
 */
export function jobPayload(
  kind: 'build' | 'test' | 'defect_validation',
  project: ProjectState,
  publicUrl: string,
): Record<string, unknown> {
  const fileUrl = (fileId: string) =>
    `${publicUrl}/projects/${encodeURIComponent(project.id)}/artifacts/${fileId}`;
  switch (kind) {
    case 'build':
      return {
        artifacts: project.files
          .filter((file) => file.kind === 'artifact')
          .map((file) => ({
            name: file.name,
            contentType: file.contentType,
            size: file.size,
            sha256: file.sha256,
            url: fileUrl(file.id),
          })),
        requiredArtifacts: project.requirements?.artifacts ?? [],
      };
    case 'test': {
      // Each report under a name of its own, so a failure the job reports names one file.
      const names = reportNames(project.files);
      return {
        reports: project.files
          .filter((file) => file.kind === 'test_report')
          .map((file) => ({ name: names.get(file.id) ?? file.name, url: fileUrl(file.id) })),
      };
    }
    case 'defect_validation': {
      const testResult = project.outputs['4_test'] as { defects?: unknown[] } | undefined;
      return { defects: testResult?.defects ?? [] };
    }
  }
}
