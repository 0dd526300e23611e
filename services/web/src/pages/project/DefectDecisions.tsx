import { type FormEvent, useState } from 'react';
import { api } from '../../api/client';
import { ErrorNotice } from './ErrorNotice';
import { DefectSummary } from './JobResult';
import { type Decision, type Defect, decisionsInput, initialChoices, undecided } from './job-results';
import { useProjectChange } from './project-queries';

/**
 * A confirm/reject choice per defect; saving hands the decisions to the waiting defect validation
 * job (they add up over several saves, so deciding some now and the rest later is fine).
 */
export function DefectDecisions({ projectId, defects }: { projectId: string; defects: Defect[] }) {
  const [choices, setChoices] = useState<Record<string, Decision>>(() => initialChoices(defects));
  const resume = useProjectChange(projectId, (body: ReturnType<typeof decisionsInput>) =>
    api('POST /api/projects/:id/defect-decisions', { params: { id: projectId }, body }),
  );
  const left = undecided(defects, choices);
  const all = (decision: Decision) =>
    setChoices(Object.fromEntries(defects.map((defect) => [defect.fingerprint, decision])));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resume.mutate(decisionsInput(defects, choices));
  };

  if (defects.length === 0) return <p>No defects to decide on.</p>;
  return (
    <form onSubmit={submit} aria-label="Defect decisions">
      <h4>Decide on each defect</h4>
      <ul>
        {defects.map((defect) => (
          <li key={defect.fingerprint} className="defect" data-fingerprint={defect.fingerprint}>
            <DefectSummary defect={defect} />
            <fieldset aria-label={`Decision on ${defect.testCase}`}>
              {(['confirmed', 'rejected'] as const).map((decision) => (
                <label key={decision}>
                  <input
                    type="radio"
                    name={`decision-${defect.fingerprint}`}
                    value={decision}
                    checked={choices[defect.fingerprint] === decision}
                    onChange={() => setChoices((before) => ({ ...before, [defect.fingerprint]: decision }))}
                  />
                  {decision === 'confirmed' ? 'Confirm' : 'Reject'}
                </label>
              ))}
            </fieldset>
          </li>
        ))}
      </ul>
      <p role="status">
        {left === 0
          ? 'Every defect is decided.'
          : `${left} of ${defects.length} undecided: the job keeps waiting until every defect is decided.`}
      </p>
      <ErrorNotice error={resume.error} />
      <div className="next-steps">
        <button type="button" className="secondary outline" onClick={() => all('confirmed')}>
          Confirm all
        </button>
        <button type="button" className="secondary outline" onClick={() => all('rejected')}>
          Reject all
        </button>
        <button
          type="submit"
          aria-busy={resume.isPending}
          disabled={resume.isPending || left === defects.length}
        >
          Save decisions and resume
        </button>
      </div>
    </form>
  );
}
