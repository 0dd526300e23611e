import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { K8S_DIR } from './kustomize.js';

/*
 * deploy/k8s/secret-catalog.yaml: the keys of the Secrets and ConfigMaps the manifests read and no
 * manifest holds, what each is, and a value to parse configurations with.
 */

const catalogKeySchema = z.strictObject({
  about: z.string().min(1),
  optional: z.boolean().optional(),
  /** What the tests put in its place. */
  example: z.string().min(1).optional(),
  /** A key file: `public` for the JWKS of every key, else whose private key it is. */
  identityKey: z.string().min(1).optional(),
});

const keysSchema = z.record(z.string(), catalogKeySchema);

export const secretCatalogSchema = z.strictObject({
  secrets: z.record(z.string(), keysSchema),
  configMaps: z.record(z.string(), keysSchema),
});

export type CatalogKey = z.infer<typeof catalogKeySchema>;
export type SecretCatalog = z.infer<typeof secretCatalogSchema>;
export type SourceKind = 'secret' | 'configMap';

export const loadSecretCatalog = (): SecretCatalog =>
  secretCatalogSchema.parse(parse(readFileSync(join(K8S_DIR, 'secret-catalog.yaml'), 'utf8')));

export function catalogKey(
  catalog: SecretCatalog,
  kind: SourceKind,
  name: string,
  key: string,
): CatalogKey | undefined {
  return (kind === 'secret' ? catalog.secrets : catalog.configMaps)[name]?.[key];
}
