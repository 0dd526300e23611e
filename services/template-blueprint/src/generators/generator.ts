import type { Blueprint, GeneratorName, TemplateContent } from '@delivery/contracts';

export { GENERATOR_NAMES, type GeneratorName } from '@delivery/contracts';

/** What a generator is given: one version of one template. */
export interface GeneratorInput {
  templateId: string;
  templateVersion: number;
  name: string;
  description: string;
  content: TemplateContent;
}

/** A generator's answer: the validated blueprint and the raw output it came from (kept on the run). */
export interface GeneratorOutput {
  blueprint: Blueprint;
  rawOutput: string;
}

/**
 * Why a generation failed, as the run records it (`errorCode`). `retryable` failures put the
 * run back in the queue for later; the others fail it.
 */
export type GenerationErrorCode =
  | 'invalid_output' // the generator answered, but not with a valid blueprint
  | 'generator_unavailable' // breaker open: not even tried
  | 'generator_timeout'
  | 'generator_error' // 5xx, network error
  | 'generator_rejected' // 4xx: our request is wrong; retrying won't help
  | 'template_invalid'; // the template cannot yield a blueprint

export class GenerationError extends Error {
  override name = 'GenerationError';

  constructor(
    readonly code: GenerationErrorCode,
    message: string,
    readonly retryable: boolean,
    /** What the generator returned, when it returned something (kept for debugging). */
    readonly rawOutput?: string,
  ) {
    super(message);
  }
}

export interface Generator {
  readonly name: GeneratorName;
  generate(input: GeneratorInput, signal: AbortSignal): Promise<GeneratorOutput>;
}
