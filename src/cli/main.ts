#!/usr/bin/env node
// The `nabla` command. Usage errors print one line naming the flag and exit with status 2.
import { Command, CommanderError } from "commander";
// The whole library, so that every op has attached its Tensor methods.
import "../index.js";
import { registerCompare } from "./compare.js";
import { registerLrFind } from "./lrFind.js";
import { registerSchedule } from "./schedule.js";
import { registerTrain } from "./train.js";
import { UsageError } from "./usageError.js";

const program = new Command();
program
  .name("nabla")
  .description("Train neural networks in TypeScript, built around optimizers.")
  .exitOverride()
  .configureOutput({ outputError: (message, write) => write(message.split("\n")[0]!.replace(/^error: /, "nabla: ") + "\n") });
registerTrain(program);
registerCompare(program);
registerLrFind(program);
registerSchedule(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    const ok = e.code === "commander.helpDisplayed" || e.code === "commander.help" || e.code === "commander.version";
    process.exit(ok ? 0 : 2);
  }
  process.stderr.write(`nabla: ${(e as Error).message}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
}
