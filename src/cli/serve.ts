import type { Command } from "commander";

/** Placeholder so that `npm start` and the command list already show where the server will be. */
export function registerServeCommand(program: Command): void {
  program
    .command("serve")
    .description("run the trailwatch server (not available yet)")
    .action(() => {
      process.stdout.write(
        "trailwatch serve: not available yet; the server arrives with the alarm-engine work.\n",
      );
    });
}
