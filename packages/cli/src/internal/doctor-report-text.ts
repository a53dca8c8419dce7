import type { DoctorReport } from "@glasswork/ops";

/** A doctor report for people: each finding with its fix, then a count. */
export function doctorReportText(report: DoctorReport): string {
  const { findings, queues } = report;
  if (findings.length === 0) return `no findings: ${queues.join(", ")} match their jobs`;
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.length - errors;
  return [
    ...findings.map((f) =>
      [`${f.severity.padEnd(7)} ${f.queue}  ${f.check}`, `  ${f.message}`, `  fix: ${f.fix}`].join(
        "\n",
      ),
    ),
    `${errors} error(s), ${warnings} warning(s) on ${queues.join(", ")}`,
  ].join("\n\n");
}
