import type { Stage } from '@delivery/contracts/stages';
import type { ProjectDetail } from '../../api/answers';
import { STAGE_LABELS } from '../../stage-labels';
import { formatTime, humanize, whoLabel } from './format';
import { JobPanel } from './JobPanel';
import { JobResult } from './JobResult';
import type { Permissions } from './permissions';

/** One stage (the current one unless the stepper picked another): its state, its job and what it produced. */
export function StageDetails({
  project,
  stage,
  may,
}: {
  project: ProjectDetail;
  stage: Stage;
  may: Permissions;
}) {
  const state = project.stages[stage];
  const current = stage === project.currentStage;
  const output = project.outputs[stage];
  return (
    <article id="stage-job" aria-labelledby="stage-title" data-stage={stage}>
      <h2 id="stage-title">
        {STAGE_LABELS[stage]} stage{current ? ' (current)' : ''}
      </h2>
      <p>
        <span className={`status status-${state.status}`}>{humanize(state.status)}</span> · generation{' '}
        {state.generation}
        {state.startedAt ? ` · started ${formatTime(state.startedAt)}` : ''}
        {state.finishedAt ? ` · finished ${formatTime(state.finishedAt)}` : ''}
        {state.gatePoint ? ` · waiting at the ${state.gatePoint} gate` : ''}
      </p>
      {state.note ? <p>Note: {state.note}</p> : null}
      {!current && state.blockedReasons.length > 0 ? (
        <ul className="reasons">
          {state.blockedReasons.map((reason) => (
            <li key={`${reason.code}:${reason.message}`}>
              {reason.message} <small>({reason.whoCanAct.map(whoLabel).join(', ')})</small>
            </li>
          ))}
        </ul>
      ) : null}
      {state.jobId ? (
        <JobPanel
          key={state.jobId}
          projectId={project.id}
          jobId={state.jobId}
          testOutput={project.outputs['4_test']}
          decide={current && state.status === 'needs_human' && may.decideDefects}
          operate={may.operateJobs}
        />
      ) : (
        <p>{hasJob(stage) ? 'No job has run for this stage yet.' : 'This stage runs no job.'}</p>
      )}
      {output !== undefined && !state.jobId ? (
        <section aria-label="Stage output">
          <h3>Output</h3>
          <JobResult result={output} />
        </section>
      ) : null}
    </article>
  );
}

const hasJob = (stage: Stage) => stage === '3_build' || stage === '4_test' || stage === '5_defect_validation';
