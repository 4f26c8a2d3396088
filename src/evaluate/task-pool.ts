/**
 * Computing outcome tasks on a second thread. Fitting each outcome's matched or weighted adjustment,
 * estimating its effect and analysing time to event are pure computations on plain data (`tasks.ts`);
 * with a pool, the main thread submits them and goes on deriving other outcomes' measures (which need
 * the loaded dataset) while a worker computes them. When the main thread needs a result the worker
 * has not started, it takes the job and computes it itself (a compare-and-swap on the job's shared
 * state word decides who does), so a slow or absent worker never stalls the evaluation. Tasks are
 * deterministic: a result is the same whichever thread computed it.
 *
 * The main thread waits with `Atomics.wait` and reads answers with `receiveMessageOnPort`, so the
 * evaluation stays one synchronous call.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from "node:worker_threads";
import { startModuleWorker } from "../util/module-worker.js";
import type { CovariateColumnValues } from "./covariates.js";
import {
  JOB_DONE,
  JOB_PENDING,
  JOB_RUNNING,
  JOB_TAKEN,
  type PoolAnswer,
  type PoolMessage,
  type SentTask,
} from "./task-pool-protocol.js";
import { runTask, type Task } from "./tasks.js";

/** A submitted task. */
export interface TaskTicket {
  readonly id: number;
  readonly state: Int32Array;
  readonly task: Task;
}

/** Longest wait for one task in the worker before giving up (a crashed worker never answers). */
const WAIT_MS = 30 * 60 * 1000;

/** A worker that computes tasks, with work stealing by the main thread. */
export class TaskPool {
  private nextId = 0;
  private readonly keys = new Map<readonly CovariateColumnValues[], number>();
  private readonly answers = new Map<number, PoolAnswer>();

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
  ) {}

  /** Starts the worker, or returns null when none can be started here. */
  static start(): TaskPool | null {
    const worker = startModuleWorker(import.meta.url, "task-worker");
    if (!worker) return null;
    worker.unref();
    worker.on("error", () => {}); // a failed worker leaves its jobs pending: the main thread takes them
    const { port1, port2 } = new MessageChannel();
    worker.postMessage({ type: "init", port: port2 } satisfies PoolMessage, [port2]);
    return new TaskPool(worker, port1);
  }

  /** Queues a task for the worker (jobs are taken in submission order). */
  submit(task: Task): TaskTicket {
    const id = this.nextId++;
    const state = new Int32Array(new SharedArrayBuffer(4));
    this.worker.postMessage({ type: "job", id, state, task: this.toSend(task) } satisfies PoolMessage);
    return { id, state, task };
  }

  /** True when the worker has answered the ticket (its result is ready without waiting). */
  ready(ticket: TaskTicket): boolean {
    return Atomics.load(ticket.state, 0) === JOB_DONE;
  }

  /** True when nobody has started the ticket yet (this thread could take it). */
  pending(ticket: TaskTicket): boolean {
    return Atomics.load(ticket.state, 0) === JOB_PENDING;
  }

  /** The task's result: the worker's answer, or computed here if the worker has not started it. */
  result(ticket: TaskTicket): unknown {
    const { state } = ticket;
    if (Atomics.compareExchange(state, 0, JOB_PENDING, JOB_TAKEN) === JOB_PENDING)
      return runTask(ticket.task);
    while (Atomics.load(state, 0) !== JOB_DONE) {
      if (Atomics.wait(state, 0, JOB_RUNNING, WAIT_MS) === "timed-out") {
        throw new Error("the evaluation worker did not answer");
      }
    }
    let answer = this.answers.get(ticket.id);
    while (!answer) {
      const m = receiveMessageOnPort(this.port);
      if (!m) throw new Error("the evaluation worker's answer is missing");
      const a = m.message as PoolAnswer;
      this.answers.set(a.id, a);
      answer = this.answers.get(ticket.id);
    }
    this.answers.delete(ticket.id);
    // A task that threw in the worker is repeated here, so that its error is raised in this thread.
    return answer.type === "done" ? answer.result : runTask(ticket.task);
  }

  /** Stops the worker. */
  close(): void {
    this.port.close();
    void this.worker.terminate();
  }

  /** The task as sent: an adjustment's covariate set is sent once and then named by its number. */
  private toSend(task: Task): SentTask {
    if (task.kind !== "adjust") return task;
    const { values, exact, ...request } = task.request;
    let key = this.keys.get(values);
    if (key === undefined) {
      key = this.keys.size;
      this.keys.set(values, key);
      this.worker.postMessage({
        type: "values",
        key,
        values: [...values],
        exact: [...exact],
      } satisfies PoolMessage);
    }
    return { kind: "adjust", valuesKey: key, request };
  }
}
