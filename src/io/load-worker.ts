/**
 * Load worker (a worker thread started by `parallel-load.ts`): loads some table files of a data folder
 * with the same code as the main thread, given the cross-table state it needs (persons' keys, death
 * dates, observation periods), and sends back the tables as transferable parts, the counts and the
 * issues.
 */
import { parentPort } from "node:worker_threads";
import { type TableDefinition, type TableName, tables } from "../../data-dictionary/index.js";
import { DatasetContext, type DatasetContextParts } from "../dictionary/dataset-context.js";
import { IssueCollector } from "../dictionary/issues.js";
import { type ColumnParts, columnParts, type KeyColumn, partsBuffers } from "../dictionary/typed-columns.js";
import { loadTableFile } from "./load-table-file.js";
import type { WorkerDone, WorkerRequest, WorkerTable } from "./parallel-load.js";

async function load(request: WorkerRequest): Promise<{ done: WorkerDone; transfer: ArrayBuffer[] }> {
  const ctx = DatasetContext.fromParts(request.context as DatasetContextParts);
  const issues = new IssueCollector(request.maxIssuesPerCode);
  const parents = new Map<KeyColumn, string>();
  for (const [t] of request.context.keys) parents.set(ctx.keysOf(t).keyColumn(), t);
  const parentOf = (keys: KeyColumn): string => {
    const name = parents.get(keys);
    if (name === undefined) throw new Error("load worker: a foreign key refers to an unknown table");
    return name;
  };
  const out: WorkerTable[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const name of request.tables) {
    const def = tables[name as TableName] as TableDefinition<TableName>;
    const outcome = await loadTableFile(request.dir, def, ctx, issues, null);
    const columns: [string, ColumnParts][] = [];
    for (const c of outcome.table.columnNames()) {
      const parts = columnParts(outcome.table.column(c), parentOf);
      columns.push([c, parts]);
      for (const b of partsBuffers(parts)) if (!transfer.includes(b)) transfer.push(b);
    }
    out.push({
      name,
      columns,
      count: outcome.count,
      sha256: outcome.sha256,
      fileRejected: outcome.fileRejected,
    });
    ctx.keysOf(name as TableName).release();
  }
  return { done: { type: "done", tables: out, issues: issues.state() }, transfer };
}

parentPort?.on("message", (request: WorkerRequest) => {
  load(request).then(
    ({ done, transfer }) => parentPort?.postMessage(done, transfer),
    (error: unknown) =>
      parentPort?.postMessage({
        type: "error",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
