import type { Generator, GeneratorName } from './generator.js';
import { createLlmGenerator, type LlmOptions } from './llm-generator.js';
import { createRulesGenerator } from './rules-generator.js';

export * from './generator.js';
export { createLlmGenerator, type LlmBreakerOptions, type LlmOptions } from './llm-generator.js';
export { createRulesGenerator } from './rules-generator.js';

export interface GeneratorsConfig {
  /** Absent when no endpoint is configured: then only `rules` exists and `llm` runs are refused. */
  llm?: LlmOptions;
}

/** The generators this process can run, by name. */
export function createGenerators(config: GeneratorsConfig = {}): Partial<Record<GeneratorName, Generator>> {
  return {
    rules: createRulesGenerator(),
    ...(config.llm && { llm: createLlmGenerator(config.llm) }),
  };
}
