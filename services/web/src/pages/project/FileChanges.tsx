import { type FormEvent, useState } from 'react';
import { api, upload } from '../../api/client';
import { ErrorNotice } from './ErrorNotice';
import { useProjectChange } from './project-queries';
import { UploadProgress } from './UploadForms';

/** The file a control acts on: its id, kind and name as the project lists it. */
interface FileRef {
  id: string;
  kind: 'artifact' | 'test_report';
  name: string;
}

/**
 * Replaces an uploaded file with a corrected one. The new file takes the old one's place (an
 * artifact keeps its name), the old bytes are deleted, and a stage that failed on the old file
 * runs again by itself with the new one.
 */
export function ReplaceFileForm({ projectId, file }: { projectId: string; file: FileRef }) {
  const [chosen, setChosen] = useState<File | undefined>();
  const [problem, setProblem] = useState<string>();
  const [progress, setProgress] = useState<number | null>(null);
  const send = useProjectChange(projectId, (form: FormData) => {
    setProgress(0);
    return upload(
      'PUT /api/projects/:id/artifacts/:fileId',
      { id: projectId, fileId: file.id },
      form,
      setProgress,
    ).finally(() => setProgress(null));
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) {
      setProblem(`Choose the file that replaces ${file.name}`);
      return;
    }
    const form = new FormData();
    form.append('file', chosen, chosen.name);
    send.mutate(form);
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Replace ${file.name}`} className="replace-file">
      <label>
        Replacement for {file.name}
        <input
          type="file"
          accept={file.kind === 'test_report' ? '.xml,application/xml,text/xml' : undefined}
          disabled={send.isPending}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => {
            setChosen(event.target.files?.[0]);
            setProblem(undefined);
          }}
        />
      </label>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <UploadProgress progress={progress} label="Replacement progress" />
      <ErrorNotice error={send.error} />
      {send.isSuccess ? (
        <p role="status">
          Replaced {file.name} with {send.data.name}.
        </p>
      ) : null}
      <button type="submit" aria-busy={send.isPending} disabled={send.isPending}>
        Replace {file.name}
      </button>
    </form>
  );
}

/** Withdraws an uploaded file after a second click that says what it does (the bytes are deleted). */
export function WithdrawFileButton({ projectId, file }: { projectId: string; file: FileRef }) {
  const [confirming, setConfirming] = useState(false);
  const withdraw = useProjectChange(projectId, () =>
    api('DELETE /api/projects/:id/artifacts/:fileId', { params: { id: projectId, fileId: file.id } }),
  );
  if (!confirming) {
    return (
      <button type="button" className="secondary outline" onClick={() => setConfirming(true)}>
        Withdraw {file.name}
      </button>
    );
  }
  return (
    <fieldset aria-label={`Withdraw ${file.name}?`}>
      <p>Withdraw {file.name}? It leaves the project and its bytes are deleted.</p>
      <ErrorNotice error={withdraw.error} />
      <button
        type="button"
        className="contrast"
        aria-busy={withdraw.isPending}
        disabled={withdraw.isPending}
        onClick={() => withdraw.mutate(undefined)}
      >
        Confirm withdrawal
      </button>
      <button type="button" className="secondary outline" onClick={() => setConfirming(false)}>
        Keep it
      </button>
    </fieldset>
  );
}
