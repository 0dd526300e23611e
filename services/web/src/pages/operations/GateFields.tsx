import type { Stage } from '@delivery/contracts/stages';
import { useId } from 'react';
import type { GateConfig, GlobalGateConfig } from '../../api/answers';
import type { FieldIssue } from '../../api/client';
import { STAGE_LABELS } from '../../stage-labels';
import {
  type Choice,
  fieldIssue,
  type GateField,
  type GateFields,
  globalGateOf,
  type OverrideFields,
  rolesOf,
  valueText,
} from './gate-form';

const POINT_LABELS = {
  before: 'Before (approval to start)',
  after: 'After (review of its output)',
} as const;

/** The props that tie an input to the API's message about it. */
function useFieldError(message: string | undefined) {
  const id = useId();
  return {
    inputProps: message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {},
    note: message ? (
      <small id={id} role="alert">
        {message}
      </small>
    ) : null,
  };
}

interface StageProps<T> {
  stage: Stage;
  fields: T;
  issues: FieldIssue[];
  disabled: boolean;
  onChange: (fields: T) => void;
}

/** One stage of the global gate config: every field set. */
export function GateStageFields({ stage, fields, issues, disabled, onChange }: StageProps<GateFields>) {
  const set = <K extends GateField>(field: K, value: GateFields[K]) =>
    onChange({ ...fields, [field]: value });
  const error = (field: GateField) =>
    fieldIssue(issues, stage, field, field === 'approverRoles' ? rolesOf(fields.approverRoles) : []);
  const required = useFieldError(error('required'));
  const point = useFieldError(error('point'));
  const roles = useFieldError(error('approverRoles'));
  const needed = useFieldError(error('approvalsNeeded'));
  const expires = useFieldError(error('expiresAfterMinutes'));
  const self = useFieldError(error('allowSelfApproval'));
  return (
    <fieldset className="gate-stage" disabled={disabled} data-stage={stage}>
      <legend>{STAGE_LABELS[stage]}</legend>
      <label>
        <input
          type="checkbox"
          role="switch"
          aria-checked={fields.required}
          checked={fields.required}
          onChange={(e) => set('required', e.target.checked)}
          {...required.inputProps}
        />
        Required
      </label>
      {required.note}
      <label>
        Point
        <select
          value={fields.point}
          onChange={(e) => set('point', e.target.value as GateFields['point'])}
          {...point.inputProps}
        >
          <option value="before">{POINT_LABELS.before}</option>
          <option value="after">{POINT_LABELS.after}</option>
        </select>
      </label>
      {point.note}
      <label>
        Approver roles
        <input
          value={fields.approverRoles}
          placeholder="delivery_manager, qa_lead"
          onChange={(e) => set('approverRoles', e.target.value)}
          {...roles.inputProps}
        />
      </label>
      {roles.note ?? <small>Role names, separated by commas</small>}
      <label>
        Approvals needed
        <input
          type="number"
          min={1}
          value={fields.approvalsNeeded}
          onChange={(e) => set('approvalsNeeded', e.target.value)}
          {...needed.inputProps}
        />
      </label>
      {needed.note}
      <label>
        Expires after (minutes)
        <input
          type="number"
          min={1}
          value={fields.expiresAfterMinutes}
          onChange={(e) => set('expiresAfterMinutes', e.target.value)}
          {...expires.inputProps}
        />
      </label>
      {expires.note}
      <label>
        <input
          type="checkbox"
          checked={fields.allowSelfApproval}
          onChange={(e) => set('allowSelfApproval', e.target.checked)}
          {...self.inputProps}
        />
        Allow self approval
      </label>
      {self.note}
    </fieldset>
  );
}

/** One stage of a project's overrides: each field either set or left to the global gate. */
export function OverrideStageFields({
  stage,
  fields,
  issues,
  disabled,
  onChange,
  global,
}: StageProps<OverrideFields> & { global: GlobalGateConfig }) {
  const set = <K extends GateField>(field: K, value: OverrideFields[K]) =>
    onChange({ ...fields, [field]: value });
  const inherited = globalGateOf(global, stage);
  const inherit = (field: GateField) => `inherit (${valueText(inherited[field])})`;
  const error = (field: GateField) =>
    fieldIssue(issues, stage, field, field === 'approverRoles' ? rolesOf(fields.approverRoles) : []);
  const required = useFieldError(error('required'));
  const point = useFieldError(error('point'));
  const roles = useFieldError(error('approverRoles'));
  const needed = useFieldError(error('approvalsNeeded'));
  const expires = useFieldError(error('expiresAfterMinutes'));
  const self = useFieldError(error('allowSelfApproval'));
  const placeholder = (field: keyof GateConfig) => `inherit: ${valueText(inherited[field])}`;
  return (
    <fieldset className="gate-stage" disabled={disabled} data-stage={stage}>
      <legend>{STAGE_LABELS[stage]}</legend>
      <label>
        Required
        <select
          value={fields.required}
          onChange={(e) => set('required', e.target.value as Choice)}
          {...required.inputProps}
        >
          <option value="">{inherit('required')}</option>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      </label>
      {required.note}
      <label>
        Point
        <select
          value={fields.point}
          onChange={(e) => set('point', e.target.value as OverrideFields['point'])}
          {...point.inputProps}
        >
          <option value="">{`inherit (${inherited.point})`}</option>
          <option value="before">{POINT_LABELS.before}</option>
          <option value="after">{POINT_LABELS.after}</option>
        </select>
      </label>
      {point.note}
      <label>
        Approver roles
        <input
          value={fields.approverRoles}
          placeholder={placeholder('approverRoles')}
          onChange={(e) => set('approverRoles', e.target.value)}
          {...roles.inputProps}
        />
      </label>
      {roles.note}
      <label>
        Approvals needed
        <input
          type="number"
          min={1}
          value={fields.approvalsNeeded}
          placeholder={placeholder('approvalsNeeded')}
          onChange={(e) => set('approvalsNeeded', e.target.value)}
          {...needed.inputProps}
        />
      </label>
      {needed.note}
      <label>
        Expires after (minutes)
        <input
          type="number"
          min={1}
          value={fields.expiresAfterMinutes}
          placeholder={placeholder('expiresAfterMinutes')}
          onChange={(e) => set('expiresAfterMinutes', e.target.value)}
          {...expires.inputProps}
        />
      </label>
      {expires.note}
      <label>
        Allow self approval
        <select
          value={fields.allowSelfApproval}
          onChange={(e) => set('allowSelfApproval', e.target.value as Choice)}
          {...self.inputProps}
        >
          <option value="">{inherit('allowSelfApproval')}</option>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      </label>
      {self.note}
    </fieldset>
  );
}
