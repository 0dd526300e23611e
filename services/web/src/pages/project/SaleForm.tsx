import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { issuesUnder } from './api-errors';
import { ErrorNotice } from './ErrorNotice';
import { useProjectChange } from './project-queries';

const NOTE_MAX = 2_000;

/** Confirms the sale (`POST /api/projects/:id/sale`), with an optional note. */
export function SaleForm({ projectId }: { projectId: string }) {
  const [note, setNote] = useState('');
  const confirm = useProjectChange(projectId, (text: string) =>
    api('POST /api/projects/:id/sale', {
      params: { id: projectId },
      body: text.trim() ? { note: text.trim() } : {},
    }),
  );
  const noteIssue = issuesUnder(confirm.error, 'note')[''];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate(note, { onSuccess: () => setNote('') });
  };
  return (
    <form onSubmit={submit} aria-label="Confirm sale" noValidate>
      <label>
        Sale note (optional)
        <textarea
          value={note}
          maxLength={NOTE_MAX}
          rows={2}
          onChange={(event) => setNote(event.target.value)}
          aria-invalid={noteIssue ? true : undefined}
        />
        {noteIssue ? (
          <small className="field-error" role="alert">
            {noteIssue}
          </small>
        ) : null}
      </label>
      <ErrorNotice error={confirm.error} shownBeside={['note']} />
      <button type="submit" aria-busy={confirm.isPending} disabled={confirm.isPending}>
        Confirm sale
      </button>
    </form>
  );
}
