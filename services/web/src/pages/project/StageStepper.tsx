import { STAGES, type Stage } from '@delivery/contracts/stages';
import { Link } from 'react-router';
import type { PipelineView } from '../../api/answers';
import { STAGE_LABELS } from '../../stage-labels';
import { humanize } from './format';

/**
 * The seven stages in order, each with its status and generation; the current one stands out.
 * Each links to `?stage=` so a stage's details (and its job) can be opened and shared.
 */
export function StageStepper({ pipeline, selected }: { pipeline: PipelineView; selected: Stage }) {
  return (
    <nav aria-label="Stages">
      <ol className="stepper">
        {STAGES.map((stage, index) => {
          const state = pipeline.stages[stage];
          const current = stage === pipeline.currentStage;
          const status = current && pipeline.status === 'completed' ? 'succeeded' : state.status;
          return (
            <li
              key={stage}
              data-stage={stage}
              data-status={status}
              data-current={current}
              data-selected={stage === selected}
            >
              <Link
                to={`?stage=${stage}`}
                replace
                aria-current={current ? 'step' : undefined}
                aria-label={`${index}. ${STAGE_LABELS[stage]}: ${humanize(status)}, generation ${state.generation}${current ? ' (current stage)' : ''}`}
              >
                <strong>
                  {index}. {STAGE_LABELS[stage]}
                </strong>
                <span className={`status status-${status}`}>{humanize(status)}</span>
                <small>generation {state.generation}</small>
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
