import { STAGES } from '@delivery/contracts/stages';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { GateOverridesView, GlobalGateConfig } from '../../api/answers';
import { ApiError, api } from '../../api/client';
import { hasRole, useSession } from '../../api/session';
import { ErrorNote } from './ErrorNote';
import { OverrideStageFields } from './GateFields';
import { otherIssues, overrideFormOf, overridesBodyOf } from './gate-form';
import { fetchGateConfig, fetchOverrides, GATE_CONFIG_KEY, overridesKey } from './gate-queries';
import { IssueList } from './IssueList';
import { useProjectNames } from './job-queries';

/** One project's changes to its gates, chosen by id (`?project=` keeps it in the link). */
export function GateOverridesPanel() {
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const projectId = params.get('project')?.trim() ?? '';
  const [draft, setDraft] = useState(projectId);
  const names = useProjectNames();
  const global = useQuery({ queryKey: GATE_CONFIG_KEY, queryFn: fetchGateConfig });
  const overrides = useQuery({
    queryKey: overridesKey(projectId),
    queryFn: () => fetchOverrides(projectId),
    enabled: projectId !== '',
  });
  const open = (id: string) => {
    const next = new URLSearchParams(params);
    if (id) next.set('project', id);
    else next.delete('project');
    setParams(next);
  };
  return (
    <article aria-labelledby="gate-overrides-heading">
      <h2 id="gate-overrides-heading">Project gate overrides</h2>
      <form
        className="filters"
        aria-label="Choose a project"
        onSubmit={(event) => {
          event.preventDefault();
          open(draft.trim());
        }}
      >
        <label>
          Project id
          <input value={draft} required onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit">Show overrides</button>
      </form>
      {projectId === '' ? <p>Enter a project id to see and change its gate overrides.</p> : null}
      {projectId !== '' && (overrides.isPending || global.isPending) ? (
        <p aria-busy="true">Loading overrides…</p>
      ) : null}
      <ErrorNote error={overrides.error ?? global.error} />
      {projectId !== '' && overrides.data && global.data ? (
        <OverridesEditor
          key={projectId}
          projectId={projectId}
          projectName={names.get(projectId)}
          latest={overrides.data}
          global={global.data.stages}
          // hitl lets the project's own delivery manager change them too; it decides per project.
          canEdit={hasRole(session, 'admin', 'delivery_manager')}
        />
      ) : null}
    </article>
  );
}

function OverridesEditor(props: {
  projectId: string;
  projectName: string | undefined;
  latest: GateOverridesView;
  global: GlobalGateConfig;
  canEdit: boolean;
}) {
  const { projectId, projectName, latest, global, canEdit } = props;
  const client = useQueryClient();
  const [base, setBase] = useState(latest);
  const [form, setForm] = useState(() => overrideFormOf(latest.stages));
  const startFrom = (view: GateOverridesView) => {
    setBase(view);
    setForm(overrideFormOf(view.stages));
  };
  const save = useMutation({
    mutationFn: () =>
      api('PUT /api/projects/:projectId/gate-overrides', {
        params: { projectId },
        body: overridesBodyOf(form, base.stages, base.revision),
      }),
    onSuccess: (saved) => {
      client.setQueryData(overridesKey(projectId), saved);
      startFrom(saved);
      void client.invalidateQueries({ queryKey: ['project', projectId] });
    },
  });
  const reload = async () => {
    save.reset();
    startFrom(
      await client.fetchQuery({
        queryKey: overridesKey(projectId),
        queryFn: () => fetchOverrides(projectId),
        staleTime: 0,
      }),
    );
  };
  const issues = save.error instanceof ApiError ? save.error.issues : [];
  const changedMeanwhile =
    latest.revision !== base.revision || (save.error instanceof ApiError && save.error.status === 409);
  const overridden = STAGES.filter((stage) => base.stages[stage] !== undefined).length;

  return (
    <form
      aria-label="Gate overrides"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <p>
        <strong>{projectName ?? projectId}</strong>:{' '}
        {overridden === 0
          ? 'no overrides; every stage has the global gate.'
          : `${overridden} ${overridden === 1 ? 'stage overrides' : 'stages override'} the global gate (revision ${base.revision}).`}{' '}
        A field left on “inherit” keeps the global value.
        {canEdit ? null : " Changing a project's gates needs the admin role or being its delivery manager."}
      </p>
      <ErrorNote error={save.error} />
      <IssueList issues={otherIssues(issues)} />
      {changedMeanwhile ? (
        <p role="status">
          Someone changed these overrides since this form was loaded.{' '}
          <button type="button" className="secondary outline" onClick={() => void reload()}>
            Reload overrides
          </button>
        </p>
      ) : null}
      <div className="gate-grid">
        {STAGES.map((stage) => (
          <OverrideStageFields
            key={stage}
            stage={stage}
            fields={form[stage]}
            global={global}
            issues={issues}
            disabled={!canEdit || save.isPending}
            onChange={(fields) => {
              if (save.isSuccess) save.reset();
              setForm({ ...form, [stage]: fields });
            }}
          />
        ))}
      </div>
      {canEdit ? (
        <button type="submit" aria-busy={save.isPending} disabled={save.isPending}>
          Save overrides
        </button>
      ) : null}
      {save.isSuccess ? <p role="status">Saved: revision {save.data.revision}.</p> : null}
    </form>
  );
}
