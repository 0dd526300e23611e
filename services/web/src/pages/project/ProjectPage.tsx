import './project.css';
import { STAGES, type Stage } from '@delivery/contracts/stages';
import { useEffect } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useSession } from '../../api/session';
import { AssignmentForm } from './AssignmentForm';
import { ReadState } from './ErrorNotice';
import { FilesSection } from './FilesSection';
import { ManagementForm } from './ManagementForm';
import { OnboardingForm } from './OnboardingForm';
import { ProjectHeader } from './ProjectHeader';
import { fileChangeRule, permissionsOf } from './permissions';
import { usePipeline, useProject } from './project-queries';
import { StageDetails } from './StageDetails';
import { Timeline } from './Timeline';
import { WhyPanel } from './WhyPanel';

const isStage = (value: string | null): value is Stage => STAGES.includes(value as Stage);

/**
 * The delivery manager's daily page for one project (`/projects/:id`): where it stands, why, and
 * every action that moves it on. `?stage=` opens a stage's details; `#section` jumps to a part.
 */
export function ProjectPage() {
  const { id = '' } = useParams();
  const session = useSession();
  const [params] = useSearchParams();
  const pipeline = usePipeline(id);
  const project = useProject(id);
  useScrollToHash([pipeline.isSuccess, project.isSuccess]);

  // An id that is no project's (400: not even an id's shape) is the same for the person reading.
  if (pipeline.error instanceof ApiError && [400, 404].includes(pipeline.error.status)) {
    return (
      <article>
        <h1>No such project</h1>
        <p role="alert">There is no project {id}.</p>
        <Link to="/">Back to all projects</Link>
      </article>
    );
  }
  if (!pipeline.data) return <ReadState query={pipeline} what="the project" />;

  const selectedParam = params.get('stage');
  const selected = isStage(selectedParam) ? selectedParam : pipeline.data.currentStage;
  const may = permissionsOf(session, pipeline.data);
  const mayChangeFile = fileChangeRule(session, pipeline.data);
  const detail = project.data;

  return (
    <div className="project-page" data-project-id={id}>
      <Link to="/">← All projects</Link>
      <ProjectHeader pipeline={pipeline.data} project={detail} selected={selected} />
      <div className="project-grid">
        <WhyPanel projectId={id} may={may} mayChangeFile={mayChangeFile} />
        {detail ? (
          <StageDetails project={detail} stage={selected} may={may} />
        ) : (
          <ReadState query={project} what="the stage" />
        )}
      </div>
      {detail ? (
        <>
          <article id="onboarding" aria-labelledby="onboarding-title">
            <h2 id="onboarding-title">Onboarding</h2>
            <OnboardingForm key={detail.id} project={detail} editable={may.manage} />
          </article>
          <article id="assignment" aria-labelledby="assignment-title">
            <h2 id="assignment-title">Assignment</h2>
            <AssignmentForm key={detail.id} project={detail} editable={may.manage} />
          </article>
          <article id="management" aria-labelledby="management-title">
            <h2 id="management-title">Management</h2>
            <ManagementForm key={detail.id} project={detail} may={may} />
          </article>
          <article id="uploads" aria-labelledby="uploads-title">
            <h2 id="uploads-title">Artifacts and test reports</h2>
            <FilesSection project={detail} mayUpload={may.upload} mayChangeFile={mayChangeFile} />
          </article>
        </>
      ) : null}
      <article id="timeline" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <Timeline projectId={id} />
      </article>
    </div>
  );
}

/** A shared link with `#onboarding` (or a step's link) lands on its section once the page has it. */
function useScrollToHash(ready: boolean[]) {
  const { hash } = useLocation();
  const loaded = ready.every(Boolean);
  useEffect(() => {
    if (!hash || !loaded) return;
    document.getElementById(decodeURIComponent(hash.slice(1)))?.scrollIntoView({ block: 'start' });
  }, [hash, loaded]);
}
