import type { FieldType } from '@delivery/contracts/field-types';
import type { Stage } from '@delivery/contracts/stages';

/** The template shapes as template-blueprint answers them (services/template-blueprint/src/domain). */

export interface FieldValidation {
  pattern?: string;
  min?: number;
  max?: number;
  options?: string[];
}

export interface TemplateField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  validation?: FieldValidation;
}

export interface TemplateArtifact {
  name: string;
  contentType: string | string[];
  maxSizeBytes: number;
  required: boolean;
  description?: string;
}

export interface StageItem {
  key: string;
  title: string;
  description?: string;
}

export interface TemplateStage {
  tasks: StageItem[];
  checks: StageItem[];
}

export interface TemplateContent {
  fields: TemplateField[];
  artifacts: TemplateArtifact[];
  stages: Partial<Record<Stage, TemplateStage>>;
}

export type TemplateStatus = 'draft' | 'published' | 'archived';

export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  status: TemplateStatus;
  /** The current version: the draft being edited, or the latest published one. */
  version: number;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

export interface Template extends TemplateSummary {
  content: TemplateContent;
  publishedVersions: number[];
}

/** `GET /api/templates/:id/versions/:version`: a frozen published version (or the draft). */
export interface TemplateVersion {
  version: number;
  name: string;
  description: string;
  content: TemplateContent;
  publishedAt: string;
  draft?: true;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

export interface BlueprintStageView {
  stage: Stage;
  order: number;
  tasks: { key: string; title: string; description?: string; checklist: string[] }[];
  checks: { key: string; title: string; description?: string }[];
}

export interface Blueprint {
  templateId: string;
  templateVersion: number;
  generator: string;
  stages: BlueprintStageView[];
  requiredInputs: TemplateField[];
  requiredArtifacts: Omit<TemplateArtifact, 'description'>[];
}

export interface BlueprintRun {
  id: string;
  templateId: string;
  templateVersion: number;
  status: RunStatus;
  generator: string;
  contentHash: string;
  attempt: number;
  maxAttempts: number;
  deferrals: number;
  errorCode: string | null;
  errorMessage: string | null;
  rawOutput: string | null;
  blueprint: Blueprint | null;
  correlationId: string;
  createdAt: string;
  nextAttemptAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

/** `GET /api/templates/:id/blueprint/status` */
export interface BlueprintStatus {
  templateId: string;
  templateVersion: number;
  status: RunStatus | 'none';
  latestRun: BlueprintRun | null;
  blueprint: { templateVersion: number; runId: string } | null;
  blueprintStale: boolean;
}
