import type { Schedule } from "../schedules/schedule.js";
import type { BatchLogs, Callback } from "../train/callbacks.js";
import type { StepOptimizer } from "../train/types.js";

/**
 * Drives the learning rate of every parameter group from a schedule of the
 * step: `schedule(0)` before the first update, then `schedule(k)` after the
 * k-th, so update k + 1 uses `schedule(k)` (optax's convention: the count
 * of updates done so far). `fit` logs the rate each update used.
 */
export class ScheduleCallback implements Callback {
  constructor(
    private readonly optimizer: StepOptimizer,
    private readonly schedule: Schedule,
  ) {}

  private set(step: number): void {
    const lr = this.schedule(step);
    for (const group of this.optimizer.paramGroups as { lr: number }[]) group.lr = lr;
  }

  onTrainBegin(): void {
    this.set(0);
  }

  onBatchEnd(logs: BatchLogs): void {
    this.set(logs.step);
  }
}
