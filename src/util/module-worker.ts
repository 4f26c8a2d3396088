/**
 * Starting a worker thread on one of the package's modules, whether the package runs from its
 * TypeScript sources (through tsx: the worker registers tsx's loader before importing the module) or
 * from compiled JavaScript.
 */
import { Worker } from "node:worker_threads";

/**
 * Starts a worker on the module `name` (without extension) beside the module whose `import.meta.url`
 * is `here`, or returns null when no worker can be started in this environment.
 */
export function startModuleWorker(here: string, name: string): Worker | null {
  try {
    if (here.endsWith(".ts")) {
      const api = import.meta.resolve("tsx/esm/api");
      const target = new URL(`./${name}.ts`, here).href;
      const source = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(target)}); });`;
      return new Worker(source, { eval: true });
    }
    return new Worker(new URL(`./${name}.js`, here));
  } catch {
    return null;
  }
}
