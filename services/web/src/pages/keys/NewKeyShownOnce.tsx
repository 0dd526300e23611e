import { useId, useRef, useState } from 'react';
import type { CreatedApiKey } from '../../api/answers';

/** The new key, shown this once: the gateway keeps only its digest. */
export function NewKeyShownOnce({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copyKey = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopy('copied');
    } catch {
      // No clipboard permission (or an old browser): leave the key selected for Ctrl+C.
      input.current?.select();
      setCopy('failed');
    }
  };

  return (
    <article aria-labelledby={`${id}-title`} className="new-key">
      <h2 id={`${id}-title`}>Your new API key “{created.name}”</h2>
      <p className="key-warning">
        <strong>Copy this key now: it will not be shown again.</strong> Only a digest of it is kept, so nobody
        can show it to you later. Use it as <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <label>
        New API key
        <input
          ref={input}
          readOnly
          value={created.key}
          spellCheck={false}
          onFocus={(event) => event.target.select()}
        />
      </label>
      <div className="button-row">
        <button type="button" onClick={() => void copyKey()}>
          Copy key
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          I have copied it
        </button>
      </div>
      {copy === 'copied' ? <p role="status">Copied to the clipboard.</p> : null}
      {copy === 'failed' ? (
        <p role="alert" className="error">
          The browser did not allow copying: the key is selected, copy it with Ctrl+C (⌘C).
        </p>
      ) : null}
    </article>
  );
}
