import { FIELD_TYPES, type FieldType } from '@delivery/contracts/field-types';
import { Checkbox, Issues, issueProps, replaced, TextInput } from './form-controls';
import { type PlacedIssues, paths } from './issue-paths';
import { boundsLength, emptyField, type FieldRow, rulesOf } from './template-form';

/** The onboarding questions: one group per field ("Field 1", …), with the rules its type takes. */
export function FieldsEditor({
  fields,
  placed,
  onChange,
  onRowsChanged,
}: {
  fields: FieldRow[];
  placed: PlacedIssues;
  onChange: (fields: FieldRow[]) => void;
  /** Rows were added or removed: issues the API gave for the old rows no longer line up. */
  onRowsChanged: () => void;
}) {
  return (
    <fieldset>
      <legend>
        <strong>Onboarding fields</strong>
      </legend>
      <Issues path={paths.fields} placed={placed} />
      {fields.length === 0 ? <p>No fields: projects answer nothing at onboarding.</p> : null}
      {fields.map((field, index) => (
        <FieldRowEditor
          key={field.uid}
          field={field}
          index={index}
          placed={placed}
          onChange={(row) => onChange(replaced(fields, index, row))}
          onRemove={() => {
            onChange(fields.filter((_, at) => at !== index));
            onRowsChanged();
          }}
        />
      ))}
      <button
        type="button"
        className="outline row-action"
        onClick={() => {
          onChange([...fields, emptyField()]);
          onRowsChanged();
        }}
      >
        Add field
      </button>
    </fieldset>
  );
}

function FieldRowEditor({
  field,
  index,
  placed,
  onChange,
  onRemove,
}: {
  field: FieldRow;
  index: number;
  placed: PlacedIssues;
  onChange: (row: FieldRow) => void;
  onRemove: () => void;
}) {
  const at = (part?: string) => paths.field(index, part);
  const rules = rulesOf(field.type);
  const set = (change: Partial<FieldRow>) => onChange({ ...field, ...change });
  const length = boundsLength(field.type);
  return (
    <fieldset className="template-row">
      <legend>Field {index + 1}</legend>
      <Issues path={at()} placed={placed} />
      <div className="grid">
        <TextInput
          label="Key"
          path={at('key')}
          placed={placed}
          value={field.key}
          onChange={(key) => set({ key })}
        />
        <TextInput
          label="Label"
          path={at('label')}
          placed={placed}
          value={field.label}
          onChange={(label) => set({ label })}
        />
        <div>
          <label>
            Type
            <select
              value={field.type}
              onChange={(event) => set({ type: event.target.value as FieldType })}
              {...issueProps(at('type'), placed)}
            >
              {FIELD_TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          </label>
          <Issues path={at('type')} placed={placed} />
        </div>
      </div>
      <Checkbox
        label="Required"
        path={at('required')}
        placed={placed}
        checked={field.required}
        onChange={(required) => set({ required })}
      />
      {rules.length > 0 ? (
        <div className="grid">
          {rules.includes('pattern') ? (
            <TextInput
              label="Pattern (regular expression)"
              path={at('validation.pattern')}
              placed={placed}
              value={field.pattern}
              onChange={(pattern) => set({ pattern })}
              spellCheck={false}
            />
          ) : null}
          {rules.includes('min') ? (
            <TextInput
              label={length ? 'Minimum length' : 'Minimum'}
              type="number"
              path={at('validation.min')}
              placed={placed}
              value={field.min}
              onChange={(min) => set({ min })}
            />
          ) : null}
          {rules.includes('max') ? (
            <TextInput
              label={length ? 'Maximum length' : 'Maximum'}
              type="number"
              path={at('validation.max')}
              placed={placed}
              value={field.max}
              onChange={(max) => set({ max })}
            />
          ) : null}
          {rules.includes('options') ? (
            <div>
              <label>
                Options (one per line)
                <textarea
                  rows={3}
                  value={field.options}
                  onChange={(event) => set({ options: event.target.value })}
                  {...issueProps(at('validation.options'), placed)}
                />
              </label>
              <Issues path={at('validation.options')} placed={placed} />
            </div>
          ) : null}
        </div>
      ) : null}
      <button
        type="button"
        className="secondary outline row-action"
        aria-label={`Remove field ${index + 1}`}
        onClick={onRemove}
      >
        Remove
      </button>
    </fieldset>
  );
}
