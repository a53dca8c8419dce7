// Native addons (better-sqlite3 in the example) are compiled by node-gyp, which otherwise
// downloads Node's headers from the internet. Node installs ship those headers next to the
// binary (<prefix>/include/node), so point node-gyp at them: installs then work offline.
const fs = require("node:fs");
const path = require("node:path");

function localNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), "..");
  const header = path.join(prefix, "include", "node", "node_version.h");
  return fs.existsSync(header) ? prefix : undefined;
}

module.exports = {
  hooks: {
    updateConfig(config) {
      // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by node-gyp, not by a turbo task.
      const nodedir = process.env.npm_config_nodedir ?? localNodeDir();
      if (!nodedir) return config;
      return { ...config, extraEnv: { ...config.extraEnv, npm_config_nodedir: nodedir } };
    },
  },
};
