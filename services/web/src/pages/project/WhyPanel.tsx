import type { Stage } from '@delivery/contracts/stages';
import { Link } from 'react-router';
import type { Approval, BlockedReason, StageAhead, Unavailable, WhyJob } from '../../api/answers';
import { api } from '../../api/client';
import { STAGE_LABELS } from '../../stage-labels';
import { ErrorNotice, ReadState } from './ErrorNotice';
import { ReplaceFileForm } from './FileChanges';
import { formatTime, humanize, relativeTime, whoLabel } from './format';
import { type NextStep, nextSteps } from './next-steps';
import type { Permissions } from './permissions';
import { useProjectChange, useWhy } from './project-queries';
import { SaleForm } from './SaleForm';

/** A part of `why` another service could not answer (it says which, and why). */
const isUnavailable = (part: object | null): part is Unavailable =>
  part !== null && 'unavailable' in part && part.unavailable === true;

/** Why the project is where it is: what blocks it, who can act, the approval and the job, and what to do. */
export function WhyPanel({
  projectId,
  may,
  mayChangeFile,
}: {
  projectId: string;
  may: Permissions;
  mayChangeFile: (file: { uploadedBy: { kind: string; id: string } }) => boolean;
}) {
  const why = useWhy(projectId);
  const onProject = { params: { id: projectId } };
  const resume = useProjectChange(projectId, () =>
    api('POST /api/projects/:id/resume', { ...onProject, body: {} }),
  );
  const advance = useProjectChange(projectId, () => api('POST /api/projects/:id/advance', onProject));
  const data = why.data;
  return (
    <article id="why" aria-labelledby="why-title">
      <h2 id="why-title">Why is it here?</h2>
      <ReadState query={why} what="the explanation" />
      {data ? (
        <>
          <p data-testid="why-summary">
            <strong>{STAGE_LABELS[data.stage]}</strong> is{' '}
            <span className={`status status-${data.stageStatus}`}>{humanize(data.stageStatus)}</span>{' '}
            (generation {data.generation}).{' '}
            {data.status !== 'active' ? `The project is ${data.status}.` : null}
          </p>
          {data.note ? <p>Note: {data.note}</p> : null}
          {data.blueprintMissing ? (
            <p data-testid="blueprint-missing">
              The template's blueprint is missing: there are no onboarding questions or artifacts yet. The
              project moves on by itself once the blueprint is generated.
            </p>
          ) : null}
          {data.blockedReasons.length > 0 ? (
            <>
              <h3>What blocks it</h3>
              <ul className="reasons" data-testid="blocked-reasons">
                {data.blockedReasons.map((reason) => (
                  <li key={`${reason.code}:${reason.message}`} data-code={reason.code}>
                    {reason.message}
                    <br />
                    <small>
                      Who can act: {whoCanAct(reason)} · action: {humanize(reason.action)}
                    </small>
                    {reason.file ? (
                      <FailedFile
                        projectId={projectId}
                        file={reason.file}
                        mayReplace={mayChangeFile(reason.file)}
                      />
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : data.status === 'active' ? (
            <p>Nothing blocks it.</p>
          ) : null}
          <Steps
            steps={nextSteps(data, may)}
            projectId={projectId}
            stage={data.stage}
            onResume={() => resume.mutate(undefined)}
            onAdvance={() => advance.mutate(undefined)}
            resuming={resume.isPending}
            advancing={advance.isPending}
          />
          <ErrorNotice error={resume.error} />
          <ErrorNotice error={advance.error} />
          {isUnavailable(data.approval) ? (
            <p role="alert">The approval cannot be shown: {data.approval.reason}</p>
          ) : data.approval ? (
            <ApprovalSummary approval={data.approval} />
          ) : null}
          {isUnavailable(data.job) ? (
            <p role="alert">The job cannot be shown: {data.job.reason}</p>
          ) : data.job ? (
            <JobSummary job={data.job} stage={data.stage} />
          ) : null}
          <StagesAhead ahead={data.ahead} />
        </>
      ) : null}
    </article>
  );
}

/**
 * Every stage the project has not reached and what it will need, so a manager can get it all in
 * before the project gets there (Jira's "what's left" on a release, per stage).
 */
export function StagesAhead({ ahead }: { ahead: StageAhead[] }) {
  if (ahead.length === 0) return null;
  return (
    <>
      <h3>Stages ahead</h3>
      <ul className="reasons" data-testid="stages-ahead">
        {ahead.map(({ stage, status, needs }) => (
          <li key={stage} data-stage={stage} data-status={status}>
            <strong>{STAGE_LABELS[stage]}</strong>:{' '}
            {status === 'ready' ? (
              <span className="status status-ready">ready</span>
            ) : (
              <span className="status status-pending">will need</span>
            )}{' '}
            {needs.length === 0 ? (
              'everything it needs is in; it waits only for the stages before it'
            ) : (
              <ul>
                {needs.map((need) => (
                  <li key={`${need.code}:${need.message}`} data-code={need.code}>
                    {need.message}
                    <br />
                    <small>Who can act: {whoCanAct(need)}</small>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Who can act, with the uploader named when the reason is about a file. */
function whoCanAct(reason: BlockedReason): string {
  return reason.whoCanAct
    .map((who) =>
      who === 'uploader' && reason.file ? `${reason.file.uploadedBy.name} (who uploaded it)` : whoLabel(who),
    )
    .join(', ');
}

/** The file a stage failed on: replace it here, or see who can. */
function FailedFile({
  projectId,
  file,
  mayReplace,
}: {
  projectId: string;
  file: NonNullable<BlockedReason['file']>;
  mayReplace: boolean;
}) {
  return (
    <div data-testid="failed-file" data-file={file.name}>
      {mayReplace ? (
        <ReplaceFileForm projectId={projectId} file={file} />
      ) : (
        <p>
          Only {file.uploadedBy.name}, who uploaded {file.name}, the project's delivery manager or an admin
          can replace it.
        </p>
      )}
    </div>
  );
}

function Steps(props: {
  steps: NextStep[];
  projectId: string;
  stage: Stage;
  onResume: () => void;
  onAdvance: () => void;
  resuming: boolean;
  advancing: boolean;
}) {
  if (props.steps.length === 0) return null;
  const sale = props.steps.some((step) => step.kind === 'confirm_sale');
  return (
    <>
      {sale ? <SaleForm projectId={props.projectId} /> : null}
      <div className="next-steps" data-testid="next-steps">
        {props.steps.map((step) => {
          if (step.kind === 'go') {
            return (
              <Link
                key={step.section}
                to={{ search: `?stage=${props.stage}`, hash: step.section }}
                className="step-link"
              >
                {step.label}
              </Link>
            );
          }
          if (step.kind === 'resume') {
            return (
              <button
                key="resume"
                type="button"
                onClick={props.onResume}
                aria-busy={props.resuming}
                disabled={props.resuming}
              >
                {step.label}
              </button>
            );
          }
          if (step.kind === 'advance') {
            return (
              <button
                key="advance"
                type="button"
                className="outline"
                onClick={props.onAdvance}
                aria-busy={props.advancing}
                disabled={props.advancing}
              >
                Advance
              </button>
            );
          }
          return null;
        })}
      </div>
    </>
  );
}

function ApprovalSummary({ approval }: { approval: Approval }) {
  const now = Date.now();
  return (
    <section aria-label="Pending approval" data-testid="approval">
      <h3>Approval</h3>
      <p>
        {approval.point === 'before' ? 'Approval to start' : 'Review of the output of'}{' '}
        {STAGE_LABELS[approval.stage]} (generation {approval.generation}, request {approval.attempt}):{' '}
        <span className={`status status-${approval.status}`}>{humanize(approval.status)}</span>
      </p>
      <ul>
        <li>Approvers: anyone with the role {approval.gate.approverRoles.join(' or ')}</li>
        <li>
          Votes: {approval.votes.length} of {approval.gate.approvalsNeeded} needed
        </li>
        <li>
          Requested by {approval.requestedBy.name} on {formatTime(approval.requestedAt)}
        </li>
        <li>
          Expires {relativeTime(approval.expiresAt, now)} ({formatTime(approval.expiresAt)})
        </li>
      </ul>
      {approval.votes.length > 0 ? (
        <ul aria-label="Votes">
          {approval.votes.map((vote) => (
            <li key={`${vote.by.id}:${vote.at}`}>
              {vote.by.name} approved on {formatTime(vote.at)}
              {vote.comment ? `: “${vote.comment}”` : ''}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function JobSummary({ job, stage }: { job: WhyJob; stage: Stage }) {
  const now = Date.now();
  const waitingToRetry = job.status === 'QUEUED' && job.attempts > 0 && job.nextRunAt;
  return (
    <section aria-label="Stage job" data-testid="why-job">
      <h3>Job</h3>
      <p>
        {job.kind} job{' '}
        <span className={`status status-${job.status.toLowerCase()}`}>{humanize(job.status)}</span> — attempt{' '}
        {job.attempts} of {job.maxAttempts}
      </p>
      <ul>
        {job.lastError ? <li>Last error: {job.lastError}</li> : null}
        {waitingToRetry && job.nextRunAt ? (
          <li>
            Next retry {relativeTime(job.nextRunAt, now)} ({formatTime(job.nextRunAt)})
          </li>
        ) : null}
        {job.lockedBy ? (
          <li>
            Held by worker {job.lockedBy}
            {job.leaseExpiresAt ? `, lease until ${formatTime(job.leaseExpiresAt)}` : ''}
          </li>
        ) : null}
      </ul>
      <Link to={{ search: `?stage=${stage}`, hash: 'stage-job' }}>Job details</Link>
    </section>
  );
}
