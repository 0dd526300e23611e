// Types of preflight.mjs (plain JavaScript so that it runs before `npm ci` and on an old node).

export type Purpose = 'start' | 'test';

/** One prerequisite this machine lacks, why, and the command that installs it. */
export interface Missing {
  prerequisite: string;
  problem: string;
  fix: string;
}

/** Everything the checks ask of the machine, so that a test can describe any machine. */
export interface Probes {
  env: Record<string, string | undefined>;
  /** As process.version, e.g. v24.1.0. */
  nodeVersion: string;
  /** On PATH, or in the sbin directories where Debian puts rabbitmq-server. */
  commandExists(name: string): boolean;
  fileExists(path: string): boolean;
  portOpen(host: string, port: number): Promise<boolean>;
  dockerAnswers(): Promise<boolean>;
  /** What is wrong with node_modules, or undefined when it matches package-lock.json. */
  dependenciesProblem(): string | undefined;
  /** The embedded MongoDB store's jar: once built, Maven is no longer needed. */
  embeddedStoreJar: string;
}

export const SETUP_COMMAND: string;
export const CHROMIUM: string;
export function findMissing(purpose: Purpose, probes: Probes): Promise<Missing[]>;
export function report(purpose: Purpose, missing: Missing[]): string;
export function machineProbes(root: string): Probes;
export function dependenciesProblem(root: string): string | undefined;
