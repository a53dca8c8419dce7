import { randomUUID } from "node:crypto";

/** What a long-running action (a redrive, a delete) has done so far. */
export interface TaskProgress {
  readonly done: number;
  readonly failed: number;
  readonly skipped: number;
  /** The most it will do, when known. */
  readonly total: number | undefined;
}

/** A long-running action started from the dashboard. */
export interface Task {
  readonly id: string;
  readonly action: "redrive" | "delete";
  readonly queue: string;
  /** What it applies to, for people ("group 3f2a…", "all dead letters"). */
  readonly scope: string;
  readonly startedAt: Date;
  status: "running" | "succeeded" | "failed";
  progress: TaskProgress;
  /** One line for people once it has ended. */
  summary: string | undefined;
}

const KEPT = 50;

/** The dashboard's recent tasks, newest kept, so that their progress page can be reloaded. */
export class TaskRegistry {
  readonly #tasks = new Map<string, Task>();

  start(
    action: Task["action"],
    queue: string,
    scope: string,
    run: (report: (progress: TaskProgress) => void) => Promise<string>,
  ): Task {
    const task: Task = {
      id: randomUUID(),
      action,
      queue,
      scope,
      startedAt: new Date(),
      status: "running",
      progress: { done: 0, failed: 0, skipped: 0, total: undefined },
      summary: undefined,
    };
    this.#tasks.set(task.id, task);
    for (const id of [...this.#tasks.keys()].slice(0, Math.max(0, this.#tasks.size - KEPT))) {
      this.#tasks.delete(id);
    }
    run((progress) => {
      task.progress = progress;
    }).then(
      (summary) => {
        task.status = "succeeded";
        task.summary = summary;
      },
      (error: unknown) => {
        task.status = "failed";
        task.summary = error instanceof Error ? error.message : String(error);
      },
    );
    return task;
  }

  get(id: string): Task | undefined {
    return this.#tasks.get(id);
  }
}
