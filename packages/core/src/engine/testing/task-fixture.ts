import type { TaskConfig } from '../task-config.js';
import { StreamTask } from '../stream-task.js';
import { buildModel, CapturingCollector, type FixtureSpec } from './model-fixture.js';

/** A task of sub-topology 0, partition 0, initialised, with a capturing collector. */
export async function startTask(spec: FixtureSpec, config: Partial<TaskConfig> = {}) {
  const collector = new CapturingCollector();
  const task = new StreamTask({
    taskId: { subtopology: 0, partition: 0 },
    model: buildModel(spec),
    config: { applicationId: 'app', ...config },
    collector,
  });
  await task.initialize();
  return { task, collector };
}
