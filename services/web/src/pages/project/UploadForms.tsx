import { type FormEvent, useState } from 'react';
import type { ArtifactSpec, StoredFile } from '../../api/answers';
import { upload } from '../../api/client';
import { ErrorNotice } from './ErrorNotice';
import { formatBytes } from './format';
import { useProjectChange } from './project-queries';
import { artifactFormData, artifactProblem, testReportFormData } from './uploads';

/** One upload in flight: its progress, and what the server kept. */
function useUpload(
  projectId: string,
  key: 'POST /api/projects/:id/artifacts' | 'POST /api/projects/:id/test-reports',
) {
  const [progress, setProgress] = useState<number | null>(null);
  const send = useProjectChange(projectId, (form: FormData) => {
    setProgress(0);
    return upload(key, { id: projectId }, form, setProgress).finally(() => setProgress(null));
  });
  return { send, progress };
}

export function UploadProgress({ progress, label }: { progress: number | null; label: string }) {
  if (progress === null) return null;
  return (
    <label>
      {label}: {Math.round(progress * 100)}%
      <progress value={progress} max={1} />
    </label>
  );
}

function Stored({ file }: { file: StoredFile | undefined }) {
  if (!file) return null;
  return (
    <p role="status">
      Uploaded {file.name} ({formatBytes(file.size)}, sha256 <span className="hash">{file.sha256}</span>)
    </p>
  );
}

/** An artifact the blueprint asks for: its name (the field goes before the file), then the file. */
export function ArtifactUploadForm({
  projectId,
  specs,
  suggestedName,
}: {
  projectId: string;
  specs: ArtifactSpec[] | null;
  suggestedName: string;
}) {
  const [name, setName] = useState<string | null>(null);
  const [file, setFile] = useState<File | undefined>();
  const [problem, setProblem] = useState<string>();
  const [inputKey, setInputKey] = useState(0);
  const { send, progress } = useUpload(projectId, 'POST /api/projects/:id/artifacts');
  const shownName = name ?? suggestedName;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = artifactProblem(specs, shownName, file);
    setProblem(found);
    if (found || !file) return;
    send.mutate(artifactFormData(shownName, file, file.name), {
      onSuccess: () => {
        setFile(undefined);
        setName(null);
        setInputKey((key) => key + 1);
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Upload artifact">
      <fieldset disabled={send.isPending}>
        <label>
          Artifact name
          <input
            value={shownName}
            list="artifact-names"
            placeholder="the file's name"
            onChange={(event) => setName(event.target.value)}
          />
          <datalist id="artifact-names">
            {(specs ?? []).map((spec) => (
              <option key={spec.name} value={spec.name} />
            ))}
          </datalist>
        </label>
        <label>
          Artifact file
          <input
            key={inputKey}
            type="file"
            aria-invalid={problem ? true : undefined}
            onChange={(event) => {
              setFile(event.target.files?.[0]);
              setProblem(undefined);
            }}
          />
        </label>
      </fieldset>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <UploadProgress progress={progress} label="Artifact upload progress" />
      <ErrorNotice error={send.error} />
      <Stored file={send.isSuccess ? send.data : undefined} />
      <button type="submit" aria-busy={send.isPending} disabled={send.isPending}>
        Upload artifact
      </button>
    </form>
  );
}

/** A JUnit XML report for the test stage. */
export function TestReportUploadForm({ projectId }: { projectId: string }) {
  const [file, setFile] = useState<File | undefined>();
  const [problem, setProblem] = useState<string>();
  const [inputKey, setInputKey] = useState(0);
  const { send, progress } = useUpload(projectId, 'POST /api/projects/:id/test-reports');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setProblem('Choose a JUnit XML file');
      return;
    }
    send.mutate(testReportFormData(file, file.name), {
      onSuccess: () => {
        setFile(undefined);
        setInputKey((key) => key + 1);
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Upload test report">
      <label>
        Test report file
        <input
          key={inputKey}
          type="file"
          accept=".xml,application/xml,text/xml"
          disabled={send.isPending}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => {
            setFile(event.target.files?.[0]);
            setProblem(undefined);
          }}
        />
      </label>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <UploadProgress progress={progress} label="Test report upload progress" />
      <ErrorNotice error={send.error} />
      <Stored file={send.isSuccess ? send.data : undefined} />
      <button type="submit" aria-busy={send.isPending} disabled={send.isPending}>
        Upload test report
      </button>
    </form>
  );
}
