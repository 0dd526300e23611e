import { fileURLToPath } from 'node:url';

// packages/testing/src -> repository root; independent of the working directory.
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
