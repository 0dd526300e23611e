import type { Blueprint } from '../../api/answers';
import { STAGE_LABELS } from '../../stage-labels';

/** A generated blueprint: the answers and uploads a project needs, and per stage its tasks and checks. */
export function BlueprintView({ blueprint }: { blueprint: Blueprint }) {
  return (
    <section aria-labelledby="blueprint-view-title">
      <h3 id="blueprint-view-title">
        The blueprint (version {blueprint.templateVersion}, {blueprint.generator})
      </h3>
      <h4>Required inputs</h4>
      {blueprint.requiredInputs.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {blueprint.requiredInputs.map((input) => (
            <li key={input.key}>
              <strong>{input.label}</strong> <code>{input.key}</code> · {input.type}
              {input.required ? ' · required' : ' · optional'}
            </li>
          ))}
        </ul>
      )}
      <h4>Required artifacts</h4>
      {blueprint.requiredArtifacts.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {blueprint.requiredArtifacts.map((artifact) => (
            <li key={artifact.name}>
              <strong>{artifact.name}</strong> · {[artifact.contentType].flat().join(', ')} · up to{' '}
              {artifact.maxSizeBytes} bytes{artifact.required ? ' · required' : ' · optional'}
            </li>
          ))}
        </ul>
      )}
      <h4>Stages</h4>
      {blueprint.stages.map((stage) => (
        <details key={stage.stage}>
          <summary>
            {STAGE_LABELS[stage.stage] ?? stage.stage}: {stage.tasks.length} tasks, {stage.checks.length}{' '}
            checks
          </summary>
          {stage.tasks.length > 0 ? (
            <ol>
              {stage.tasks.map((task) => (
                <li key={task.key}>
                  <strong>{task.title}</strong>
                  {task.description ? <p>{task.description}</p> : null}
                  {task.checklist.length > 0 ? (
                    <ul>
                      {task.checklist.map((item, index) => (
                        // Checklist lines are plain text that may repeat; their order is their identity.
                        // biome-ignore lint/suspicious/noArrayIndexKey: see above
                        <li key={index}>{item}</li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : null}
          {stage.checks.length > 0 ? (
            <ul>
              {stage.checks.map((check) => (
                <li key={check.key}>
                  Check: <strong>{check.title}</strong>
                  {check.description ? ` — ${check.description}` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </details>
      ))}
      <details>
        <summary>Blueprint JSON</summary>
        <pre className="raw-output">{JSON.stringify(blueprint, null, 2)}</pre>
      </details>
    </section>
  );
}
