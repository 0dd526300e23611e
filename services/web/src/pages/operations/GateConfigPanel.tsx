import { STAGES } from '@delivery/contracts/stages';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { GlobalGateConfigView } from '../../api/answers';
import { ApiError, api } from '../../api/client';
import { hasRole, useSession } from '../../api/session';
import { ErrorNote } from './ErrorNote';
import { GateStageFields } from './GateFields';
import { gateConfigBodyOf, gateFormOf, otherIssues } from './gate-form';
import { fetchGateConfig, GATE_CONFIG_KEY } from './gate-queries';
import { IssueList } from './IssueList';

/** The global gate per stage; only admins change it (hitl says so too). */
export function GateConfigPanel() {
  const session = useSession();
  const config = useQuery({ queryKey: GATE_CONFIG_KEY, queryFn: fetchGateConfig });
  return (
    <article aria-labelledby="gate-config-heading">
      <h2 id="gate-config-heading">Gate configuration</h2>
      {config.isPending ? <p aria-busy="true">Loading gate configuration…</p> : null}
      <ErrorNote error={config.error} />
      {config.data ? <GateConfigEditor latest={config.data} canEdit={hasRole(session, 'admin')} /> : null}
    </article>
  );
}

function GateConfigEditor({ latest, canEdit }: { latest: GlobalGateConfigView; canEdit: boolean }) {
  const client = useQueryClient();
  // The config the form was made from: its revision guards the save against changes made meanwhile.
  const [base, setBase] = useState(latest);
  const [form, setForm] = useState(() => gateFormOf(latest.stages));
  const startFrom = (view: GlobalGateConfigView) => {
    setBase(view);
    setForm(gateFormOf(view.stages));
  };
  const save = useMutation({
    mutationFn: () =>
      api('PUT /api/gates/config', { body: gateConfigBodyOf(form, base.stages, base.revision) }),
    onSuccess: (saved) => {
      client.setQueryData(GATE_CONFIG_KEY, saved);
      startFrom(saved);
    },
  });
  const reload = async () => {
    save.reset();
    startFrom(await client.fetchQuery({ queryKey: GATE_CONFIG_KEY, queryFn: fetchGateConfig, staleTime: 0 }));
  };
  const issues = save.error instanceof ApiError ? save.error.issues : [];
  const changedMeanwhile =
    latest.revision !== base.revision || (save.error instanceof ApiError && save.error.status === 409);

  return (
    <form
      aria-label="Gate configuration"
      // The API judges the values, so its messages show beside the fields.
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <p>
        {base.updatedAt
          ? `Revision ${base.revision}, changed ${new Date(base.updatedAt).toLocaleString()}.`
          : 'Not configured yet: every stage has the default gate (no approval needed).'}
        {canEdit ? null : ' Changing gates needs the admin role.'}
      </p>
      <ErrorNote error={save.error} />
      <IssueList issues={otherIssues(issues)} />
      {changedMeanwhile ? (
        <p role="status">
          Someone changed the gate configuration since this form was loaded.{' '}
          <button type="button" className="secondary outline" onClick={() => void reload()}>
            Reload gate configuration
          </button>
        </p>
      ) : null}
      <div className="gate-grid">
        {STAGES.map((stage) => (
          <GateStageFields
            key={stage}
            stage={stage}
            fields={form[stage]}
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
          Save gate configuration
        </button>
      ) : null}
      {save.isSuccess ? <p role="status">Saved: revision {save.data.revision}.</p> : null}
    </form>
  );
}
