import type { Stage } from '@delivery/contracts';
import type { ProjectState, StoredFile } from './project-state.js';

/**
 * Which uploaded file a stage's job failed on, so the why panel can name it and offer to replace
 * it: a resume alone would run the same file again and fail the same way.
 *
 * The job names a report it could not read by the name the payload gave it (the job-runner's
 * `test report <name>: <why>`), so each test report goes to the job under a name no other report
 * of the payload has. A fetch failure (`cannot fetch test report …`) is not the file's fault and
 * names no file. The files a failure is matched against are the project's current ones: any change
 * of them since the generation started superseded it (superseded-facts.ts), so they are the ones
 * its job was given.
 */

/** The name each test report goes to the job under: its filename, with its id when another report has the same. */
export function reportNames(files: readonly StoredFile[]): Map<string, string> {
  const reports = files.filter((file) => file.kind === 'test_report');
  const count = (name: string) => reports.filter((file) => file.name === name).length;
  return new Map(
    reports.map((file) => [file.id, count(file.name) > 1 ? `${file.name} (${file.id})` : file.name]),
  );
}

/** The file the stage's job failed on and what the job said of it; undefined when the error names no file. */
export function failedFile(
  project: ProjectState,
  stage: Stage,
  error: string,
): { file: StoredFile; detail: string } | undefined {
  if (stage !== '4_test') return undefined;
  // The job-runner keeps a handler's error as `<its class>: <message>`.
  const message = error.replace(/^[A-Za-z]*Error: /, '');
  const names = reportNames(project.files);
  // The longest name that prefixes the error wins: "a.xml" must not claim "a.xml (…)"'s failure.
  const [match] = project.files
    .map((file) => ({ file, prefix: `test report ${names.get(file.id)}: ` }))
    .filter(({ file, prefix }) => names.has(file.id) && message.startsWith(prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return match && { file: match.file, detail: message.slice(match.prefix.length) };
}
