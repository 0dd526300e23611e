import { templateBlueprintRoutes as routes } from '@delivery/contracts/routes';
import { HttpError, UnprocessableError } from '@delivery/service-kit';
import type { Requirements } from '../domain/project-state.js';
import type { ServiceClient } from './service-client.js';
import { upstreamError } from './upstream-errors.js';

/** What template-blueprint says about a template a project is created from. */
export class Templates {
  constructor(private readonly client: ServiceClient) {}

  /** The latest published version; 422 when the template does not exist or was never published. */
  async publishedVersion(templateId: string): Promise<number> {
    const template = await this.client
      .call(routes.getTemplate, { params: { id: templateId } })
      .catch((error: unknown) => {
        if (error instanceof HttpError && (error.status === 404 || error.status === 400)) {
          throw new UnprocessableError(`template ${templateId} does not exist`, { field: 'templateId' });
        }
        throw upstreamError(this.client.name, error);
      });
    const version = template.publishedVersions.at(-1);
    if (template.status === 'archived' || version === undefined) {
      throw new UnprocessableError(
        `template ${templateId} has no published version to start a project from`,
        {
          field: 'templateId',
          status: template.status,
        },
      );
    }
    return version;
  }

  /** The requirements of a version's blueprint, or undefined while it has none (or a stale one). */
  async requirements(templateId: string, version: number): Promise<Requirements | undefined> {
    try {
      const found = await this.client.call(routes.getBlueprint, {
        params: { id: templateId },
        query: { version },
      });
      return {
        fields: found.blueprint.requiredInputs,
        artifacts: found.blueprint.requiredArtifacts,
        blueprintRunId: found.runId,
      };
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined;
      throw upstreamError(this.client.name, error);
    }
  }
}
