import Table from "cli-table3";

/** Renders rows as a table for people; no colours, so it reads the same in logs. */
export function renderTable(
  head: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((cell) => (cell === undefined ? "" : String(cell))));
  return table.toString();
}
