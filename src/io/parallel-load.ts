/**
 * Loading tables on a second thread. After persons and observation periods (which every other table
 * needs for its cross-table checks), the remaining table files are split into two groups of about
 * equal size: the main thread loads one, a worker thread (`load-worker.ts`) the other. Tables that
 * refer to each other (index_events → encounters) stay in one group. The worker's tables come back as
 * transferred typed arrays, its issues are merged in file order, so the result is the one a single
 * thread gives. If the worker cannot start or fails, the main thread loads its tables too.
 */
import type { Worker } from "node:worker_threads";
import { type TableName, tables } from "../../data-dictionary/index.js";
import type { DatasetContextParts } from "../dictionary/dataset-context.js";
import type { IssueCollectorState } from "../dictionary/issues.js";
import type { FileCount } from "../dictionary/load-result.js";
import type { ColumnParts } from "../dictionary/typed-columns.js";
import { startModuleWorker } from "../util/module-worker.js";

/** What the main thread asks the worker to load. */
export interface WorkerRequest {
  readonly dir: string;
  readonly tables: readonly TableName[];
  readonly context: DatasetContextParts;
  readonly maxIssuesPerCode: number;
}

/** One table loaded by the worker. */
export interface WorkerTable {
  readonly name: TableName;
  readonly columns: readonly (readonly [string, ColumnParts])[];
  readonly count: FileCount;
  readonly sha256: string | null;
  readonly fileRejected: boolean;
}

/** The worker's answer. */
export interface WorkerDone {
  readonly type: "done";
  readonly tables: readonly WorkerTable[];
  readonly issues: IssueCollectorState;
}

type WorkerMessage = WorkerDone | { readonly type: "error"; readonly message: string };

/** A started load worker (one request per worker). */
export class LoadWorker {
  private readonly answer: Promise<WorkerDone>;
  private settled = false;

  private constructor(private readonly worker: Worker) {
    this.answer = new Promise<WorkerDone>((resolve, reject) => {
      worker.on("message", (m: WorkerMessage) => {
        this.settled = true;
        if (m.type === "done") resolve(m);
        else reject(new Error(`load worker: ${m.message}`));
      });
      worker.on("error", (e) => {
        this.settled = true;
        reject(e);
      });
      worker.on("exit", (code) => {
        if (!this.settled) reject(new Error(`load worker exited (${code})`));
      });
    });
    this.answer.catch(() => {}); // observed by `load`; a failure before then must not be unhandled
  }

  /**
   * Starts a worker, or returns null when none can be started here. Under TypeScript sources (tsx)
   * the worker registers tsx's loader before importing its module.
   */
  static start(): LoadWorker | null {
    const worker = startModuleWorker(import.meta.url, "load-worker");
    return worker ? new LoadWorker(worker) : null;
  }

  /** Sends the request and waits for the worker's tables (rejects if the worker fails). */
  load(request: WorkerRequest): Promise<WorkerDone> {
    this.worker.postMessage(request);
    return this.answer;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    this.settled = true;
    await this.worker.terminate();
  }
}

/**
 * Splits tables to load into a group for the main thread and one for the worker, by file size: groups
 * of tables linked by foreign keys stay together (largest first, each to the lighter side).
 */
export function splitTables(
  names: readonly TableName[],
  bytes: (name: TableName) => number,
): { readonly main: TableName[]; readonly worker: TableName[] } {
  const set = new Set(names);
  const group = new Map<TableName, TableName>(names.map((n) => [n, n]));
  const root = (n: TableName): TableName => {
    let r = n;
    while (group.get(r) !== r) r = group.get(r) as TableName;
    return r;
  };
  for (const n of names) {
    for (const fk of tables[n].foreignKeys) {
      const parent = fk.table as TableName;
      if (set.has(parent)) group.set(root(n), root(parent));
    }
  }
  const groups = new Map<TableName, TableName[]>();
  for (const n of names) {
    const r = root(n);
    const g = groups.get(r);
    if (g) g.push(n);
    else groups.set(r, [n]);
  }
  const size = (g: readonly TableName[]) => g.reduce((s, n) => s + bytes(n), 0);
  const sorted = [...groups.values()].sort((a, b) => size(b) - size(a));
  const main: TableName[] = [];
  const worker: TableName[] = [];
  let mainBytes = 0;
  let workerBytes = 0;
  for (const g of sorted) {
    if (mainBytes <= workerBytes) {
      main.push(...g);
      mainBytes += size(g);
    } else {
      worker.push(...g);
      workerBytes += size(g);
    }
  }
  const order = (xs: TableName[]) => names.filter((n) => xs.includes(n));
  return { main: order(main), worker: order(worker) };
}
