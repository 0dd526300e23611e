import type { GateConfig } from '@delivery/contracts';

export type GateField = keyof GateConfig;

/**
 * When a field of `proposed` asks less of people than the same field of `reference`. Each field
 * is judged alone, so a refusal names every field that must change for the gate to be accepted.
 */
const LOOSENS: Record<GateField, (reference: GateConfig, proposed: GateConfig) => boolean> = {
  required: (_reference, proposed) => !proposed.required,
  // A stage has one gate point, so moving it drops the gate where it was; neither point is
  // stricter than the other (before stops the work from starting, after reviews its output).
  point: (reference, proposed) => proposed.point !== reference.point,
  // Any one of the roles may approve, so each role added lets more people pass the gate:
  // only a subset of the roles is as strict.
  approverRoles: (reference, proposed) =>
    proposed.approverRoles.some((role) => !reference.approverRoles.includes(role)),
  approvalsNeeded: (reference, proposed) => proposed.approvalsNeeded < reference.approvalsNeeded,
  expiresAfterMinutes: (reference, proposed) => proposed.expiresAfterMinutes > reference.expiresAfterMinutes,
  allowSelfApproval: (reference, proposed) => proposed.allowSelfApproval && !reference.allowSelfApproval,
};

/** The fields in which `proposed` asks less than `reference`, in the order GateConfig declares them. */
export function loosenedFields(reference: GateConfig, proposed: GateConfig): GateField[] {
  // A gate that asks nothing has nothing to loosen: whatever gate is put there adds an approval.
  if (!reference.required) return [];
  return (Object.keys(LOOSENS) as GateField[]).filter((field) => LOOSENS[field](reference, proposed));
}

/** Whether setting `field` to `value` on `reference` asks less of people than `reference` does. */
export function loosens<F extends GateField>(reference: GateConfig, field: F, value: GateConfig[F]): boolean {
  return loosenedFields(reference, { ...reference, [field]: value }).includes(field);
}
