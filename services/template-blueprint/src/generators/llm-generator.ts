import { createBreaker, HttpError, type Logger } from '@delivery/service-kit';
import {
  type EgressClient,
  EgressRefusedError,
  isEgressError,
  ResponseTooLargeError,
} from '@delivery/service-kit/egress';
import { z } from 'zod';
import { describeIssues } from '../domain/issues.js';
import { blueprintFromModelOutput } from '../domain/model-output.js';
import { requiredArtifactsFrom, requiredInputsFrom } from '../domain/requirements.js';
import { GenerationError, type Generator, type GeneratorInput } from './generator.js';
import { buildChatRequest, type ChatRequest } from './llm-prompt.js';

export interface LlmBreakerOptions {
  /** How long the breaker stays open before one trial call. Default 30 s. */
  resetTimeoutMs?: number;
  /** Calls in the rolling window before the failure share is trusted. Default 5. */
  volumeThreshold?: number;
  /** Failure share (percent) that opens the breaker. Default 50. */
  errorThresholdPercentage?: number;
}

export interface LlmOptions {
  /** Base of an OpenAI-compatible API, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Upper bound of one call, answer included. */
  timeoutMs: number;
  breaker?: LlmBreakerOptions;
  logger?: Logger;
  /** Checks the endpoint's address (EGRESS_ALLOW_PRIVATE) and caps its answer (EGRESS_MAX_BODY_BYTES). */
  egress: EgressClient;
}

const chatResponseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
});

/** Thrown inside the breaker when the run itself was aborted: says nothing about the endpoint. */
class RunAbortedError extends Error {
  override name = 'RunAbortedError';
}

/** 408 and 429 are 4xx that say "later", not "never". */
const isRetryableStatus = (status: number) => status === 408 || status === 429;

// Our own mistakes (a 4xx the endpoint will always answer) and cancels must not open the
// breaker; 408/429 do count, so a rate-limited endpoint gets a rest.
const isCallerError = (err: unknown): boolean =>
  err instanceof RunAbortedError ||
  isEgressError(err) ||
  (err instanceof HttpError && err.status >= 400 && err.status < 500 && !isRetryableStatus(err.status));

const describeBody = (body: unknown): string => {
  if (body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `: ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
};

function httpFailure(err: HttpError): GenerationError {
  const message = `the generator endpoint answered HTTP ${err.status}${describeBody(err.body)}`;
  if (err.status === 408) return new GenerationError('generator_timeout', message, true);
  if (err.status >= 400 && err.status < 500 && !isRetryableStatus(err.status)) {
    return new GenerationError('generator_rejected', message, false);
  }
  return new GenerationError('generator_error', message, true);
}

/**
 * The `llm` generator: asks an OpenAI-compatible chat-completions endpoint for the blueprint's
 * stages and validates the answer. Calls go through a breaker, so while the endpoint is down
 * runs fail fast as `generator_unavailable` (and are retried later) instead of each waiting out
 * its timeout.
 */
export function createLlmGenerator(options: LlmOptions): Generator {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const headers: Record<string, string> = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};

  const post = async (request: ChatRequest, runSignal: AbortSignal, callSignal: AbortSignal) => {
    try {
      return await options.egress.json(url, { method: 'POST', headers, json: request, signal: callSignal });
    } catch (err) {
      if (runSignal.aborted) throw new RunAbortedError('run aborted', { cause: err });
      throw err;
    }
  };
  const breaker = createBreaker(post, {
    name: 'llm-generator',
    timeoutMs: options.timeoutMs,
    resetTimeoutMs: options.breaker?.resetTimeoutMs ?? 30_000,
    volumeThreshold: options.breaker?.volumeThreshold,
    errorThresholdPercentage: options.breaker?.errorThresholdPercentage,
    isCallerError,
    logger: options.logger,
  });

  async function call(request: ChatRequest, signal: AbortSignal): Promise<unknown> {
    // Aborts the fetch itself at the timeout, so a slow endpoint does not keep a socket busy.
    const deadline = AbortSignal.timeout(options.timeoutMs);
    try {
      return await breaker.fire(request, signal, AbortSignal.any([signal, deadline]));
    } catch (err) {
      // A cancel or lost lease: surface the abort itself, not what the fetch made of it.
      signal.throwIfAborted();
      if (err instanceof HttpError) throw httpFailure(err);
      // Neither changes on a retry: the policy refuses the same address, the endpoint answers as much.
      if (err instanceof EgressRefusedError)
        throw new GenerationError('generator_rejected', err.message, false);
      if (err instanceof ResponseTooLargeError)
        throw new GenerationError('invalid_output', err.message, false);
      const code = (err as { code?: unknown }).code;
      if (code === 'EOPENBREAKER' || code === 'ESEMLOCKED') {
        throw new GenerationError(
          'generator_unavailable',
          'the generator endpoint failed repeatedly; its breaker is open, so the call was not made',
          true,
        );
      }
      if (code === 'ETIMEDOUT' || deadline.aborted) {
        throw new GenerationError(
          'generator_timeout',
          `the generator endpoint did not answer within ${options.timeoutMs}ms`,
          true,
        );
      }
      const detail =
        err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : '';
      throw new GenerationError('generator_error', `cannot reach the generator endpoint: ${detail}`, true);
    }
  }

  return {
    name: 'llm',
    async generate(input: GeneratorInput, signal: AbortSignal) {
      const body = await call(buildChatRequest(options.model, input), signal);
      const response = chatResponseSchema.safeParse(body);
      if (!response.success) {
        throw new GenerationError(
          'invalid_output',
          'the endpoint answered, but not with a chat completion',
          false,
          typeof body === 'string' ? body : JSON.stringify(body),
        );
      }
      const [choice] = response.data.choices;
      const content = choice?.message.content;
      if (content == null) {
        const refusal = choice?.message.refusal ?? '';
        throw new GenerationError(
          'invalid_output',
          refusal ? `the model refused: ${refusal}` : 'the model answered with no content',
          false,
          refusal,
        );
      }
      const result = blueprintFromModelOutput(content, {
        templateId: input.templateId,
        templateVersion: input.templateVersion,
        generator: 'llm',
        requiredInputs: requiredInputsFrom(input.content),
        requiredArtifacts: requiredArtifactsFrom(input.content),
      });
      if (!result.ok) {
        const cutOff =
          choice?.finish_reason === 'length' ? ' (the answer was cut off at the token limit)' : '';
        throw new GenerationError(
          'invalid_output',
          `the model's answer is not a valid blueprint${cutOff}: ${describeIssues(result.issues)}`,
          false,
          content,
        );
      }
      return { blueprint: result.blueprint, rawOutput: content };
    },
  };
}
