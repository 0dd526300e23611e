import { STAGES, type Stage } from '@delivery/contracts/stages';
import { STAGE_LABELS } from '../../stage-labels';
import { Issues, replaced, TextInput } from './form-controls';
import { type PlacedIssues, paths } from './issue-paths';
import { emptyStageItem, type StageItemKind, type StageItemRow, type StageRows } from './template-form';

const KIND_TEXT: Record<StageItemKind, { one: string; many: string }> = {
  tasks: { one: 'task', many: 'tasks' },
  checks: { one: 'check', many: 'checks' },
};

const countText = (count: number, kind: StageItemKind) =>
  `${count} ${count === 1 ? KIND_TEXT[kind].one : KIND_TEXT[kind].many}`;

/** Per stage, the tasks and checks the template adds to what every project does there. */
export function StagesEditor({
  stages,
  placed,
  onChange,
  onRowsChanged,
}: {
  stages: Record<Stage, StageRows>;
  placed: PlacedIssues;
  onChange: (stages: Record<Stage, StageRows>) => void;
  onRowsChanged: () => void;
}) {
  return (
    <fieldset>
      <legend>
        <strong>Stage tasks and checks</strong>
      </legend>
      {STAGES.map((stage) => {
        const rows = stages[stage];
        const hasIssues = Object.keys(placed.at).some((path) => path.startsWith(paths.stage(stage)));
        const setRows = (kind: StageItemKind, items: StageItemRow[]) =>
          onChange({ ...stages, [stage]: { ...rows, [kind]: items } });
        return (
          <details key={stage} open={rows.tasks.length + rows.checks.length > 0 || hasIssues}>
            <summary>
              {STAGE_LABELS[stage]}: {countText(rows.tasks.length, 'tasks')},{' '}
              {countText(rows.checks.length, 'checks')}
            </summary>
            <Issues path={paths.stage(stage)} placed={placed} />
            {(['tasks', 'checks'] as const).map((kind) => (
              <StageItems
                key={kind}
                stage={stage}
                kind={kind}
                items={rows[kind]}
                placed={placed}
                onChange={(items) => setRows(kind, items)}
                onRowsChanged={onRowsChanged}
              />
            ))}
          </details>
        );
      })}
    </fieldset>
  );
}

function StageItems({
  stage,
  kind,
  items,
  placed,
  onChange,
  onRowsChanged,
}: {
  stage: Stage;
  kind: StageItemKind;
  items: StageItemRow[];
  placed: PlacedIssues;
  onChange: (items: StageItemRow[]) => void;
  onRowsChanged: () => void;
}) {
  const one = KIND_TEXT[kind].one;
  const stageLabel = STAGE_LABELS[stage];
  return (
    <>
      <Issues path={paths.stageItems(stage, kind)} placed={placed} />
      {items.map((item, index) => {
        const at = (part?: string) => paths.stageItem(stage, kind, index, part);
        const set = (change: Partial<StageItemRow>) =>
          onChange(replaced(items, index, { ...item, ...change }));
        return (
          <fieldset key={item.uid} className="template-row">
            <legend>
              {stageLabel} {one} {index + 1}
            </legend>
            <Issues path={at()} placed={placed} />
            <div className="grid">
              <TextInput
                label="Key"
                path={at('key')}
                placed={placed}
                value={item.key}
                onChange={(key) => set({ key })}
              />
              <TextInput
                label="Title"
                path={at('title')}
                placed={placed}
                value={item.title}
                onChange={(title) => set({ title })}
              />
            </div>
            <TextInput
              label="Description (optional)"
              path={at('description')}
              placed={placed}
              value={item.description}
              onChange={(description) => set({ description })}
            />
            <button
              type="button"
              className="secondary outline row-action"
              aria-label={`Remove ${stageLabel} ${one} ${index + 1}`}
              onClick={() => {
                onChange(items.filter((_, other) => other !== index));
                onRowsChanged();
              }}
            >
              Remove
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="outline secondary row-action"
        aria-label={`Add ${one} to ${stageLabel}`}
        onClick={() => {
          onChange([...items, emptyStageItem()]);
          onRowsChanged();
        }}
      >
        Add {one}
      </button>{' '}
    </>
  );
}
