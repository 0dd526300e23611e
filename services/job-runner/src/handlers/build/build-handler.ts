import { HttpError } from '@delivery/service-kit';
import { type JobHandler, PermanentJobError } from '../handler.js';
import { digestStream } from '../shared/body-readers.js';
import { fetchOwned, isPermanentHttpStatus } from '../shared/fetch-owned.js';
import type { Fetcher } from '../shared/fetcher.js';
import { mapLimit } from '../shared/map-limit.js';
import { parseOrFail } from '../shared/parse-payload.js';
import {
  type ArtifactCheck,
  absentEntry,
  buildManifest,
  checkDeclared,
  checkDownloaded,
  failureReason,
  type ManifestEntry,
  missingDownload,
  pairRequirements,
} from './artifact-check.js';
import { buildPayloadSchema, fetchedArtifactsSchema, fetchedBlueprintSchema } from './build-payload.js';

export interface BuildHandlerDeps {
  fetcher: Fetcher;
  now?: () => Date;
  /** Artifact downloads in flight at once. Default 3. */
  downloadConcurrency?: number;
}

async function verify(check: ArtifactCheck, fetcher: Fetcher, signal: AbortSignal): Promise<ManifestEntry> {
  const { requirement, upload } = check;
  if (!upload) return absentEntry(requirement);
  const declared = checkDeclared({ requirement, upload });
  if (declared) return declared;
  try {
    // Read one byte past the limit at most: enough to know the real file is too large.
    const digest = await fetcher.read(upload.url, signal, (body) =>
      digestStream(body, requirement.maxSizeBytes),
    );
    return checkDownloaded({ requirement, upload }, digest);
  } catch (err) {
    if (err instanceof HttpError && (err.status === 404 || err.status === 410)) {
      return missingDownload(check, err.status);
    }
    if (err instanceof HttpError && isPermanentHttpStatus(err.status)) {
      throw new PermanentJobError(`cannot download artifact ${upload.name}: HTTP ${err.status}`, {
        cause: err,
      });
    }
    if (err instanceof PermanentJobError) {
      throw new PermanentJobError(`cannot download artifact ${upload.name}: ${err.message}`, { cause: err });
    }
    signal.throwIfAborted();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`downloading artifact ${upload.name} failed: ${message}`, { cause: err });
  }
}

/**
 * `build`: verifies the project's uploads against its blueprint's required artifacts and records
 * a build manifest. Problems end in NEEDS_HUMAN rather than failure: retrying cannot fix a wrong
 * upload, a person re-uploads and resumes.
 */
export function createBuildHandler(deps: BuildHandlerDeps): JobHandler {
  const { fetcher } = deps;
  const now = deps.now ?? (() => new Date());
  return async ({ job, signal }) => {
    const payload = parseOrFail(buildPayloadSchema, job.payload, 'build payload');
    // The schema's refinements guarantee the URL is there whenever the inline list is not.
    const [uploads, requirements] = await Promise.all([
      payload.artifacts ??
        fetchOwned(fetcher, payload.artifactsUrl as string, fetchedArtifactsSchema, 'artifact list', signal),
      payload.requiredArtifacts ??
        fetchOwned(fetcher, payload.blueprintUrl as string, fetchedBlueprintSchema, 'blueprint', signal),
    ]);
    signal.throwIfAborted();

    // A failed download makes the others pointless: stop them rather than finish them.
    const batch = new AbortController();
    const batchSignal = AbortSignal.any([signal, batch.signal]);
    const entries = await mapLimit(
      pairRequirements(requirements, uploads),
      deps.downloadConcurrency ?? 3,
      (check) =>
        verify(check, fetcher, batchSignal).catch((err: unknown) => {
          batch.abort();
          throw err;
        }),
    );
    signal.throwIfAborted();

    const manifest = buildManifest(entries, now());
    if (manifest.ok) return { outcome: 'success', result: manifest };
    return { outcome: 'needs_human', reason: failureReason(manifest), result: manifest };
  };
}
