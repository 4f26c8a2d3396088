/**
 * Fitting outcome adjustments on a second thread. Each matched or weighted outcome fits its own
 * propensity model, weights or matches and balance table (`adjustRequested`); with a pool, the main
 * thread submits the request and goes on deriving the next outcome's measure while a worker fits it.
 * When the main thread needs a result the worker has not started, it takes the job and fits it itself
 * (a compare-and-swap on the job's shared state word decides who fits it), so a slow or absent worker
 * never stalls the evaluation. The functions are deterministic: a result is the same whichever thread
 * computed it.
 *
 * The main thread waits with `Atomics.wait` and reads answers with `receiveMessageOnPort`, so the
 * evaluation stays one synchronous call.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from "node:worker_threads";
import { startModuleWorker } from "../util/module-worker.js";
import { type Adjustment, type AdjustmentRequest, adjustRequested } from "./adjust.js";
import {
  JOB_DONE,
  JOB_PENDING,
  JOB_RUNNING,
  JOB_TAKEN,
  type PoolAnswer,
  type PoolMessage,
} from "./adjust-pool-protocol.js";
import type { CovariateColumnValues } from "./covariates.js";

/** A submitted request. */
export interface AdjustmentTicket {
  readonly id: number;
  readonly state: Int32Array;
  readonly request: AdjustmentRequest;
}

/** Longest wait for one fit in the worker before giving up (a crashed worker never answers). */
const WAIT_MS = 30 * 60 * 1000;

/** A worker that fits adjustments, with work stealing by the main thread. */
export class AdjustPool {
  private nextId = 0;
  private readonly keys = new Map<readonly CovariateColumnValues[], number>();
  private readonly answers = new Map<number, PoolAnswer>();

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
  ) {}

  /** Starts the worker, or returns null when none can be started here. */
  static start(): AdjustPool | null {
    const worker = startModuleWorker(import.meta.url, "adjust-worker");
    if (!worker) return null;
    worker.unref();
    worker.on("error", () => {}); // a failed worker leaves its jobs pending: the main thread takes them
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ type: "init", port: port2 } satisfies PoolMessage, [port2]);
    return new AdjustPool(worker, port1);
  }

  /** Queues a request for the worker. */
  submit(request: AdjustmentRequest): AdjustmentTicket {
    let key = this.keys.get(request.values);
    if (key === undefined) {
      key = this.keys.size;
      this.keys.set(request.values, key);
      const set: PoolMessage = {
        type: "values",
        key,
        values: [...request.values],
        exact: [...request.exact],
      };
      this.worker.postMessage(set);
    }
    const id = this.nextId++;
    const state = new Int32Array(new SharedArrayBuffer(4));
    const { values: _v, exact: _e, ...rest } = request;
    this.worker.postMessage({ type: "job", id, state, valuesKey: key, request: rest } satisfies PoolMessage);
    return { id, state, request };
  }

  /** The fitted adjustment: the worker's answer, or fitted here if the worker has not started it. */
  result(ticket: AdjustmentTicket): Adjustment {
    const { state } = ticket;
    if (Atomics.compareExchange(state, 0, JOB_PENDING, JOB_TAKEN) === JOB_PENDING) {
      return adjustRequested(ticket.request);
    }
    while (Atomics.load(state, 0) !== JOB_DONE) {
      if (Atomics.wait(state, 0, JOB_RUNNING, WAIT_MS) === "timed-out") {
        throw new Error("the adjustment worker did not answer");
      }
    }
    let answer = this.answers.get(ticket.id);
    while (!answer) {
      const m = receiveMessageOnPort(this.port);
      if (!m) throw new Error("the adjustment worker's answer is missing");
      const a = m.message as PoolAnswer;
      this.answers.set(a.id, a);
      answer = this.answers.get(ticket.id);
    }
    this.answers.delete(ticket.id);
    // A fit that threw in the worker is repeated here, so that its error is raised in this thread.
    return answer.type === "done" ? answer.adjustment : adjustRequested(ticket.request);
  }

  /** Stops the worker. */
  close(): void {
    this.port.close();
    void this.worker.terminate();
  }
}
