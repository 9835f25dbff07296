#!/usr/bin/env node
import { runCli } from "./program.js";

// `trailwatch … | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(0);
});

// exitCode rather than process.exit(): a large output to a pipe must finish being written.
process.exitCode = await runCli(process.argv);
