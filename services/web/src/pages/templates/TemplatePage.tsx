import './templates.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { hasRole, useSession } from '../../api/session';
import { BlueprintPanel } from './BlueprintPanel';
import { PublishButton } from './PublishButton';
import { RunDetails } from './RunDetails';
import { RunHistory } from './RunHistory';
import { searchWith } from './search-params';
import { TemplateEditor } from './TemplateEditor';
import { shownVersion, versionParamOf, versionsOf } from './template-versions';

/**
 * One template: its versions (`?version=N`), the draft's editor (published versions read-only),
 * publishing, and its blueprint with the run history and a run's details (`?run=<id>`).
 */
export function TemplatePage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const isAdmin = hasRole(session, 'admin');
  // Which editor (by its key) has unsaved edits: one left for another version counts no more.
  const [dirtyEditor, setDirtyEditor] = useState<string>();
  // Set to the published version someone chose to edit: saving makes the next version a draft.
  const [editingNextOf, setEditingNextOf] = useState<number>();
  const template = useQuery({
    queryKey: ['templates', id],
    queryFn: () => api('GET /api/templates/:id', { params: { id } }),
  });
  const data = template.data;
  const shown = data ? shownVersion(data, versionParamOf(params)) : undefined;
  const frozen = useQuery({
    queryKey: ['templates', id, 'versions', shown?.version],
    queryFn: () =>
      api('GET /api/templates/:id/versions/:version', { params: { id, version: shown?.version ?? 0 } }),
    enabled: shown?.kind === 'published',
    staleTime: Number.POSITIVE_INFINITY, // a published version never changes
  });
  const runId = params.get('run');

  if (template.isPending) return <p aria-busy="true">Loading the template…</p>;
  if (template.isError) {
    return (
      <>
        <p role="alert">{template.error.message}</p>
        <Link to="/templates">All templates</Link>
      </>
    );
  }
  if (!data || !shown) return null;
  const editingNext = shown.kind === 'current' && shown.canStartNext && editingNextOf === data.version;
  const editorKey = `${id}:v${data.version}:${data.status}:${editingNext ? 'next' : 'current'}`;

  return (
    <>
      <p>
        <Link to="/templates">All templates</Link>
      </p>
      <hgroup>
        <h1>{data.name}</h1>
        <p>
          <span className={`template-status template-status-${data.status}`}>{data.status}</span> · version{' '}
          {data.version}
        </p>
      </hgroup>
      <nav aria-label="Versions">
        <ul>
          {versionsOf(data).map((entry) => (
            <li key={entry.version}>
              <Link
                to={{
                  search: searchWith(params, {
                    version: entry.version === data.version ? undefined : entry.version,
                  }),
                }}
                aria-current={entry.version === shown.version ? 'page' : undefined}
              >
                Version {entry.version} ({entry.state})
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {shown.kind === 'missing' ? <p role="alert">This template has no version {shown.version}.</p> : null}
      {shown.kind === 'published' ? (
        <>
          <p>
            Version {shown.version} is published and read-only
            {frozen.data ? ` (published ${new Date(frozen.data.publishedAt).toLocaleString()})` : ''}.
          </p>
          {frozen.isPending ? <p aria-busy="true">Loading version {shown.version}…</p> : null}
          {frozen.isError ? <p role="alert">{frozen.error.message}</p> : null}
          {frozen.data ? (
            <TemplateEditor
              key={`${id}:v${shown.version}`}
              templateId={id}
              source={frozen.data}
              editable={false}
            />
          ) : null}
        </>
      ) : null}
      {shown.kind === 'current' ? (
        <>
          {data.status === 'archived' ? <p>This template is archived and changes no more.</p> : null}
          {shown.canStartNext && !editingNext ? (
            <p>
              Version {data.version} is published and read-only.{' '}
              {isAdmin ? (
                <button type="button" className="outline" onClick={() => setEditingNextOf(data.version)}>
                  Edit as version {data.version + 1}
                </button>
              ) : null}
            </p>
          ) : null}
          {editingNext ? (
            <p>
              Saving starts version {data.version + 1} as a draft; version {data.version} stays as published.
            </p>
          ) : null}
          <TemplateEditor
            key={editorKey}
            templateId={id}
            source={data}
            editable={isAdmin && (shown.editable || editingNext)}
            saveLabel={editingNext ? `Save as version ${data.version + 1}` : 'Save draft'}
            onDirtyChange={(dirty) => setDirtyEditor(dirty ? editorKey : undefined)}
          />
          {isAdmin && data.status === 'draft' ? (
            <PublishButton templateId={id} version={data.version} unsaved={dirtyEditor === editorKey} />
          ) : null}
        </>
      ) : null}

      <BlueprintPanel
        templateId={id}
        canGenerate={hasRole(session, 'admin', 'delivery_manager')}
        archived={data.status === 'archived'}
        onRunStarted={(started) =>
          navigate({ search: searchWith(params, { run: started }) }, { replace: true })
        }
      />
      {runId ? <RunDetails key={runId} runId={runId} /> : null}
      <RunHistory templateId={id} />
    </>
  );
}
