import { fileURLToPath } from 'node:url';

// Everything the launcher build touches lives in this package, found relative to this file
// so it works from any working directory (jest workers, npm start, other packages).
export const packageDir = fileURLToPath(new URL('..', import.meta.url));
export const pomFile = fileURLToPath(new URL('../pom.xml', import.meta.url));
export const javaSourceDir = fileURLToPath(new URL('./main', import.meta.url));
export const targetDir = fileURLToPath(new URL('../target', import.meta.url));
export const launcherJar = fileURLToPath(new URL('../target/embedded-mongo.jar', import.meta.url));
// Hash of the inputs the jar was built from; written only after a build succeeds.
export const launcherHashFile = fileURLToPath(new URL('../target/launcher.sha256', import.meta.url));
export const buildLockDir = fileURLToPath(new URL('../target/.build-lock', import.meta.url));
