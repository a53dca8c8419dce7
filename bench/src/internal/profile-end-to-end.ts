// Profiles one side of the end-to-end benchmark alone, for comparing where each side's client
// CPU goes: `tsx src/internal/profile-end-to-end.ts <ours|peer> [runs] [jobs] [out.cpuprofile]`.
// Warms up with one run, then records a V8 CPU profile of the consuming part of each of `runs`
// runs (not the enqueueing), through the inspector, into `<out>.<run>.cpuprofile`, and prints
// each run's figures.
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { runSide } from "../end-to-end.js";
import { startFauxqsServer } from "./fauxqs-server.js";

const [side = "ours", runsText = "3", jobsText = "10000", out = side] = process.argv.slice(2);
if (side !== "ours" && side !== "peer") throw new Error(`side must be ours or peer, got ${side}`);
const runs = Number(runsText);
const jobs = Number(jobsText);

const server = await startFauxqsServer();
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
try {
  await runSide(server, side, 2_000);
  for (let run = 0; run < runs; run++) {
    const figures = await runSide(server, side, jobs, 4, async (consume) => {
      await session.post("Profiler.start");
      try {
        return await consume();
      } finally {
        const { profile } = await session.post("Profiler.stop");
        await writeFile(`${out}.${run + 1}.cpuprofile`, JSON.stringify(profile));
      }
    });
    console.log(
      `${side} run ${run + 1}: ${figures.jobsPerSecond.toFixed(0)} jobs/s, ${figures.cpuUsPerJob.toFixed(1)} µs CPU/job, ${JSON.stringify(figures.requests)}, ${figures.sockets} sockets`,
    );
  }
} finally {
  session.disconnect();
  await server.stop();
}
