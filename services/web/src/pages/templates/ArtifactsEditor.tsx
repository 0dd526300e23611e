import { Checkbox, Issues, replaced, TextInput } from './form-controls';
import { type PlacedIssues, paths } from './issue-paths';
import { type ArtifactRow, bytesText, emptyArtifact } from './template-form';

/** The files a project must upload: one group per artifact ("Artifact 1", …). */
export function ArtifactsEditor({
  artifacts,
  placed,
  onChange,
  onRowsChanged,
}: {
  artifacts: ArtifactRow[];
  placed: PlacedIssues;
  onChange: (artifacts: ArtifactRow[]) => void;
  onRowsChanged: () => void;
}) {
  return (
    <fieldset>
      <legend>
        <strong>Artifacts</strong>
      </legend>
      <Issues path={paths.artifacts} placed={placed} />
      {artifacts.length === 0 ? <p>No artifacts: projects upload nothing for the build.</p> : null}
      {artifacts.map((artifact, index) => {
        const at = (part?: string) => paths.artifact(index, part);
        const set = (change: Partial<ArtifactRow>) =>
          onChange(replaced(artifacts, index, { ...artifact, ...change }));
        return (
          <fieldset key={artifact.uid} className="template-row">
            <legend>Artifact {index + 1}</legend>
            <Issues path={at()} placed={placed} />
            <div className="grid">
              <TextInput
                label="File name"
                path={at('name')}
                placed={placed}
                value={artifact.name}
                onChange={(name) => set({ name })}
              />
              <TextInput
                label="Content type"
                path={at('contentType')}
                placed={placed}
                value={artifact.contentType}
                onChange={(contentType) => set({ contentType })}
                placeholder="application/zip"
                hint="Several: separate with commas; image/* matches any image."
                spellCheck={false}
              />
              <TextInput
                label="Maximum size (bytes)"
                type="number"
                min={1}
                path={at('maxSizeBytes')}
                placed={placed}
                value={artifact.maxSizeBytes}
                onChange={(maxSizeBytes) => set({ maxSizeBytes })}
                hint={bytesText(artifact.maxSizeBytes) || undefined}
              />
            </div>
            <TextInput
              label="Description (optional)"
              path={at('description')}
              placed={placed}
              value={artifact.description}
              onChange={(description) => set({ description })}
            />
            <Checkbox
              label="Required"
              path={at('required')}
              placed={placed}
              checked={artifact.required}
              onChange={(required) => set({ required })}
            />
            <button
              type="button"
              className="secondary outline row-action"
              aria-label={`Remove artifact ${index + 1}`}
              onClick={() => {
                onChange(artifacts.filter((_, other) => other !== index));
                onRowsChanged();
              }}
            >
              Remove
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="outline row-action"
        onClick={() => {
          onChange([...artifacts, emptyArtifact()]);
          onRowsChanged();
        }}
      >
        Add artifact
      </button>
    </fieldset>
  );
}
