import type { Stage } from '@delivery/contracts/stages';
import type { PipelineView, ProjectDetail } from '../../api/answers';
import { STAGE_LABELS } from '../../stage-labels';
import { formatTime, humanize } from './format';
import { StageStepper } from './StageStepper';

/** Who the project is for, where it stands, and the stepper over its seven stages. */
export function ProjectHeader({
  pipeline,
  project,
  selected,
}: {
  pipeline: PipelineView;
  project: ProjectDetail | undefined;
  selected: Stage;
}) {
  return (
    <header className="project-header">
      <h1>{pipeline.name}</h1>
      <div className="project-facts">
        <span>
          Client: <strong data-testid="project-client">{pipeline.client}</strong>
        </span>
        <span>
          Status:{' '}
          <strong data-testid="project-status" className={`status status-${pipeline.status}`}>
            {pipeline.status}
          </strong>
        </span>
        <span>
          Stage: <strong>{STAGE_LABELS[pipeline.currentStage]}</strong>{' '}
          <span data-testid="stage-status" className={`status status-${pipeline.stageStatus}`}>
            {humanize(pipeline.stageStatus)}
          </span>{' '}
          (generation {pipeline.generation})
        </span>
        <span>Template version {pipeline.templateVersion}</span>
        <span>
          Assignees:{' '}
          {pipeline.assignees.length > 0
            ? pipeline.assignees.map((person) => person.name).join(', ')
            : 'none'}
        </span>
        {project?.sale ? (
          <span data-testid="sale">
            Sale confirmed by {project.sale.confirmedBy.name} on {formatTime(project.sale.confirmedAt)}
            {project.sale.note ? ` — “${project.sale.note}”` : ''}
          </span>
        ) : null}
        {project?.requireManualReview ? <span>Manual review of every automated stage</span> : null}
        <span>Updated {formatTime(pipeline.updatedAt)}</span>
      </div>
      <StageStepper pipeline={pipeline} selected={selected} />
    </header>
  );
}
