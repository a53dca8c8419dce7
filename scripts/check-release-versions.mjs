// Runs `changeset version` on a scratch copy of the workspace's manifests and pending changesets
// and fails unless every published package lands on the same version. A 0.x core peered with
// `workspace:^` must not push its dependents to a major (changesets 2 did: core 0.1.0, the rest
// 1.0.0); this check is what keeps the first release, and every later one, coherent.
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifests = ["package.json"];
for (const group of ["packages", "apps"]) {
  for (const name of readdirNames(join(root, group)))
    manifests.push(`${group}/${name}/package.json`);
}
for (const single of ["bench", "reliability"]) manifests.push(`${single}/package.json`);

const scratch = mkdtempSync(join(tmpdir(), "glasswork-release-"));
try {
  for (const file of [...manifests, "pnpm-workspace.yaml"]) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(scratch, file));
  }
  cpSync(join(root, ".changeset"), join(scratch, ".changeset"), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"), "dir");
  execFileSync(join(root, "node_modules", ".bin", "changeset"), ["version"], {
    cwd: scratch,
    stdio: ["ignore", "ignore", "inherit"],
  });

  const published = manifests
    .map((file) => ({ file, manifest: JSON.parse(readFileSync(join(scratch, file), "utf8")) }))
    .filter(({ manifest }) => manifest.name && !manifest.private);
  const versions = new Map(published.map(({ manifest }) => [manifest.name, manifest.version]));
  const distinct = new Set(versions.values());
  const listing = [...versions].map(([name, version]) => `${name}@${version}`).join(", ");
  if (distinct.size !== 1) {
    console.error(`changeset version would release mixed versions: ${listing}`);
    console.error("Every published @glasswork package must land on the same version.");
    process.exit(1);
  }
  console.log(
    `changeset version: ${published.length} packages at ${[...distinct][0]} (${listing})`,
  );
  const unchanged = published.filter(
    ({ file, manifest }) =>
      manifest.version === JSON.parse(readFileSync(join(root, file), "utf8")).version,
  );
  if (unchanged.length > 0 && unchanged.length < published.length) {
    console.error(`not released with the others: ${unchanged.map((p) => relative(root, p.file))}`);
    process.exit(1);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function readdirNames(folder) {
  return existsSync(folder) ? readdirSync(folder) : [];
}
