import { formatBytes, formatTime, humanize } from './format';
import {
  type BuildManifest,
  buildManifestOf,
  type Defect,
  defectsOf,
  type TestSummary,
  testSummaryOf,
} from './job-results';

/** What a stage's job produced, shown for what it is: a build manifest, a test summary, defects. */
export function JobResult({ result }: { result: unknown }) {
  if (result === null || result === undefined) return null;
  const manifest = buildManifestOf(result);
  const summary = testSummaryOf(result);
  const defects = defectsOf(result);
  // Defect validation's result counts its decisions; the test stage's defects carry none yet.
  const validated = typeof (result as { unconfirmed?: unknown }).unconfirmed === 'number';
  return (
    <>
      {manifest ? <ManifestTable manifest={manifest} /> : null}
      {summary ? <TestSummaryTable summary={summary} /> : null}
      {defects && defects.length > 0 ? <DefectList defects={defects} validated={validated} /> : null}
      {defects && defects.length === 0 ? <p>No defects.</p> : null}
      <details>
        <summary>Raw result (JSON)</summary>
        <pre>{JSON.stringify(result, null, 2)}</pre>
      </details>
    </>
  );
}

function ManifestTable({ manifest }: { manifest: BuildManifest }) {
  return (
    <section aria-label="Build manifest">
      <h4>Build manifest: {manifest.ok ? 'every artifact checks out' : 'some artifacts need attention'}</h4>
      <small>Checked {formatTime(manifest.checkedAt)}</small>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Artifact</th>
              <th>Check</th>
              <th>Size</th>
              <th>Type</th>
              <th>SHA-256</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {manifest.artifacts.map((entry) => (
              <tr key={entry.name} data-artifact={entry.name}>
                <td>
                  {entry.name}
                  {entry.required ? '' : ' (optional)'}
                </td>
                <td>
                  <span className={`status status-${entry.status === 'ok' ? 'succeeded' : 'failed'}`}>
                    {humanize(entry.status)}
                  </span>
                </td>
                <td>{entry.actual?.size !== undefined ? formatBytes(entry.actual.size) : '–'}</td>
                <td>{entry.actual?.contentType ?? '–'}</td>
                <td>
                  <ShortHash value={entry.actual?.sha256 ?? entry.expected.sha256} />
                </td>
                <td>{entry.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TestSummaryTable({ summary }: { summary: TestSummary }) {
  return (
    <section aria-label="Test summary">
      <h4>
        Tests: {summary.passed} of {summary.tests} passed
      </h4>
      <p>
        {summary.failures} failures, {summary.errors} errors, {summary.skipped} skipped,{' '}
        {summary.durationSeconds} s
      </p>
      {summary.suites.length > 0 ? (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Suite</th>
                <th>Tests</th>
                <th>Failures</th>
                <th>Errors</th>
                <th>Skipped</th>
              </tr>
            </thead>
            <tbody>
              {summary.suites.map((suite, index) => (
                // Suite names may repeat across reports.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <tr key={index}>
                  <td>{suite.name}</td>
                  <td>{suite.tests}</td>
                  <td>{suite.failures}</td>
                  <td>{suite.errors}</td>
                  <td>{suite.skipped}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function DefectSummary({ defect }: { defect: Defect }) {
  return (
    <>
      <strong>{defect.testCase}</strong>{' '}
      <small>
        {defect.suite}
        {defect.classname && defect.classname !== defect.suite ? ` · ${defect.classname}` : ''} ·{' '}
        {defect.type}
        {defect.occurrences > 1 ? ` · seen ${defect.occurrences} times` : ''}
      </small>
      {defect.message ? <p>{defect.message}</p> : null}
      {defect.details ? (
        <details>
          <summary>Details</summary>
          <pre>{defect.details}</pre>
        </details>
      ) : null}
    </>
  );
}

function DefectList({ defects, validated }: { defects: Defect[]; validated: boolean }) {
  const count = (status: Defect['status']) => defects.filter((defect) => defect.status === status).length;
  return (
    <section aria-label="Defects">
      <h4>Defects ({defects.length})</h4>
      {validated ? (
        <p>
          {count('confirmed')} confirmed, {count('rejected')} rejected, {count('unconfirmed')} undecided
        </p>
      ) : null}
      <ul>
        {defects.map((defect) => (
          <li key={defect.fingerprint} className="defect" data-fingerprint={defect.fingerprint}>
            <DefectSummary defect={defect} />
            <span
              className={`status status-${defect.status === 'unconfirmed' ? 'needs_human' : 'succeeded'}`}
            >
              {defect.status}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A sha256 where space is short: its start, the whole of it on hover (the files table has it in full). */
function ShortHash({ value }: { value: string | undefined }) {
  if (!value) return <>–</>;
  return (
    <code className="hash" title={value}>
      {value.slice(0, 12)}…
    </code>
  );
}
