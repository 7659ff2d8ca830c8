// Preloaded with `node --import` by the module-load test: records every module the process
// resolves (ESM through a resolve hook, CommonJS through Module._load) into $COFFER_LOAD_LOG.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const out = process.env.COFFER_LOAD_LOG;
if (out) {
  register("./record-loads-hooks.mjs", import.meta.url, { data: { out } });
  const Module = createRequire(import.meta.url)("node:module");
  const load = Module._load;
  Module._load = function recordLoad(request, ...rest) {
    appendFileSync(out, `cjs:${request}\n`);
    return load.call(this, request, ...rest);
  };
}
