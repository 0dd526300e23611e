import { type FormEvent, useState } from 'react';
import type { ProjectDetail } from '../../api/answers';
import { type ApiBody, api } from '../../api/client';
import { issuesUnder } from './api-errors';
import { ErrorNotice } from './ErrorNotice';
import type { Permissions } from './permissions';
import { useProjectChange } from './project-queries';

type ManagementBody = ApiBody<'PUT /api/projects/:id/management'>;

/**
 * Who manages the project and whether its automated stages need a review
 * (`PUT /api/projects/:id/management`), and archiving or restoring it. The manager hands the project over and may switch review
 * on; switching it off is an admin's, so the box stays locked for anyone else once it is on.
 */
export function ManagementForm({ project, may }: { project: ProjectDetail; may: Permissions }) {
  const [manager, setManager] = useState<string | null>(null);
  const [review, setReview] = useState<boolean | null>(null);
  const save = useProjectChange(project.id, (body: ManagementBody) =>
    api('PUT /api/projects/:id/management', { params: { id: project.id }, body }),
  );
  const archive = useProjectChange(project.id, (action: 'archive' | 'unarchive') =>
    api(`POST /api/projects/:id/${action}`, { params: { id: project.id } }),
  );
  const shownManager = manager ?? project.deliveryManagerId ?? '';
  const shownReview = review ?? project.requireManualReview;
  const managerIssue = issuesUnder(save.error, 'deliveryManagerId')[''];
  const body: ManagementBody = {
    ...(manager !== null && manager.trim() !== (project.deliveryManagerId ?? '')
      ? { deliveryManagerId: manager.trim() }
      : {}),
    ...(review !== null && review !== project.requireManualReview ? { requireManualReview: review } : {}),
  };
  const dirty = Object.keys(body).length > 0;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!dirty) return;
    save.mutate(body, {
      onSuccess: () => {
        setManager(null);
        setReview(null);
      },
    });
  };

  return (
    <form onSubmit={submit} aria-label="Management" noValidate>
      <fieldset disabled={!may.manage || save.isPending}>
        <label>
          Delivery manager (user id)
          <input
            value={shownManager}
            placeholder="nobody manages it yet"
            autoComplete="off"
            aria-invalid={managerIssue ? true : undefined}
            onChange={(event) => setManager(event.target.value)}
          />
          {managerIssue ? (
            <small className="field-error" role="alert">
              {managerIssue}
            </small>
          ) : null}
        </label>
        <label>
          <input
            type="checkbox"
            checked={shownReview}
            disabled={project.requireManualReview && !may.loosenReview}
            onChange={(event) => setReview(event.target.checked)}
          />
          Every automated stage needs a review
        </label>
        {project.requireManualReview && !may.loosenReview ? (
          <small>Only an admin can switch the review off.</small>
        ) : null}
      </fieldset>
      <ErrorNotice error={save.error} shownBeside={['deliveryManagerId']} />
      <ErrorNotice error={archive.error} />
      <div className="button-row">
        {may.manage ? (
          <button type="submit" aria-busy={save.isPending} disabled={!dirty || save.isPending}>
            Save management
          </button>
        ) : null}
        {may.archive ? (
          <button
            type="button"
            className="secondary"
            aria-busy={archive.isPending}
            disabled={archive.isPending}
            onClick={() => archive.mutate('archive')}
          >
            Archive project
          </button>
        ) : null}
        {may.restore ? (
          <button
            type="button"
            aria-busy={archive.isPending}
            disabled={archive.isPending}
            onClick={() => archive.mutate('unarchive')}
          >
            Restore from archive
          </button>
        ) : null}
      </div>
    </form>
  );
}
