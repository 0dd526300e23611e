import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

/** Publishes the saved draft; with unsaved edits it waits, since those would not be in the version. */
export function PublishButton({
  templateId,
  version,
  unsaved,
}: {
  templateId: string;
  version: number;
  unsaved: boolean;
}) {
  const client = useQueryClient();
  const publish = useMutation({
    mutationFn: () => api('POST /api/templates/:id/publish', { params: { id: templateId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['templates'] }),
  });
  return (
    <section aria-label="Publish" className="publish">
      <button
        type="button"
        className="contrast"
        disabled={unsaved || publish.isPending}
        aria-busy={publish.isPending}
        onClick={() => publish.mutate()}
      >
        Publish version {version}
      </button>{' '}
      {unsaved ? (
        <small>Save the draft before publishing.</small>
      ) : (
        <small>A published version never changes.</small>
      )}
      {publish.isError ? (
        <p role="alert" className="error">
          {publish.error.message}
        </p>
      ) : null}
    </section>
  );
}
