import type { ProjectDetail, StoredFile } from '../../api/answers';
import { pathOf } from '../../api/client';
import { ReadState } from './ErrorNotice';
import { ReplaceFileForm, WithdrawFileButton } from './FileChanges';
import { formatBytes, formatTime, humanize } from './format';
import { useFiles } from './project-queries';
import { ArtifactUploadForm, TestReportUploadForm } from './UploadForms';
import { acceptedTypes, artifactChecklist } from './uploads';

/** What the blueprint asks to upload, the two upload forms, and every file the project holds. */
export function FilesSection({
  project,
  mayUpload,
  mayChangeFile,
}: {
  project: ProjectDetail;
  mayUpload: boolean;
  /** Whether this person may replace or withdraw the file (its uploader, the manager, an admin). */
  mayChangeFile: (file: StoredFile) => boolean;
}) {
  const files = useFiles(project.id);
  const specs = project.requirements?.artifacts ?? null;
  const checklist = artifactChecklist(specs ?? [], files.data ?? project.files);
  const firstMissing = checklist.find((item) => item.spec.required && !item.uploaded)?.spec.name;
  return (
    <>
      {specs === null ? (
        <p>The blueprint is missing, so nothing says which artifacts to upload yet.</p>
      ) : specs.length === 0 ? (
        <p>The blueprint asks for no artifacts.</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Required artifacts">
            <thead>
              <tr>
                <th>Artifact</th>
                <th>Required</th>
                <th>Accepted types</th>
                <th>Max size</th>
                <th>Uploaded</th>
              </tr>
            </thead>
            <tbody>
              {checklist.map(({ spec, uploaded }) => (
                <tr key={spec.name} data-artifact={spec.name}>
                  <td>{spec.name}</td>
                  <td>{spec.required ? 'yes' : 'no'}</td>
                  <td>{acceptedTypes(spec).join(', ')}</td>
                  <td>{formatBytes(spec.maxSizeBytes)}</td>
                  <td>{uploaded ? `yes, ${formatTime(uploaded.uploadedAt)}` : 'not yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {mayUpload ? (
        <div className="project-grid">
          <div>
            <h3>Upload an artifact</h3>
            <ArtifactUploadForm projectId={project.id} specs={specs} suggestedName={firstMissing ?? ''} />
          </div>
          <div>
            <h3>Upload a test report (JUnit XML)</h3>
            <TestReportUploadForm projectId={project.id} />
          </div>
        </div>
      ) : project.status === 'active' ? (
        <p>Uploads need the admin or delivery manager role, or being one of the project's assignees.</p>
      ) : null}
      <h3>Files</h3>
      <ReadState query={files} what="the files" />
      {files.data && files.data.length === 0 ? <p>No files uploaded yet.</p> : null}
      {files.data && files.data.length > 0 ? (
        <div className="table-scroll">
          <table aria-label="Files">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Size</th>
                <th>Type</th>
                <th>SHA-256</th>
                <th>Uploaded</th>
                <th>Download</th>
                <th>Change</th>
              </tr>
            </thead>
            <tbody>
              {files.data.map((file) => (
                <tr key={file.id} data-file={file.name}>
                  <td>{file.name}</td>
                  <td>{humanize(file.kind)}</td>
                  <td>{formatBytes(file.size)}</td>
                  <td>{file.contentType}</td>
                  <td className="hash">{file.sha256}</td>
                  <td>
                    {formatTime(file.uploadedAt)} by {file.uploadedBy.name}
                  </td>
                  <td>
                    <a
                      href={pathOf('GET /api/projects/:id/artifacts/:fileId', {
                        id: project.id,
                        fileId: file.id,
                      })}
                      download={file.name}
                      aria-label={`Download ${file.name}`}
                    >
                      Download
                    </a>
                  </td>
                  <td>
                    {mayChangeFile(file) ? (
                      <details>
                        <summary>Replace or withdraw</summary>
                        <ReplaceFileForm projectId={project.id} file={file} />
                        <WithdrawFileButton projectId={project.id} file={file} />
                      </details>
                    ) : (
                      <small>{file.uploadedBy.name}, the manager or an admin</small>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
