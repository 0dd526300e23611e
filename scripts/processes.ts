/**
 * What `npm start` runs. Each entry is one OS process, as it would be one Deployment in
 * Kubernetes; services that have a separate worker list it (and how many) here too.
 */
export interface ProcessSpec {
  name: string;
  entry: string;
  env: Record<string, string>;
}

export const BASE_PORT = Number(process.env.BASE_PORT ?? 4000);

export const processes: ProcessSpec[] = [
  {
    name: 'example',
    entry: 'packages/service-kit/example/main.ts',
    env: { SERVICE_NAME: 'example', PORT: String(BASE_PORT) },
  },
];
