// Bundles the CLI into dist/cli/coffer.mjs. Heavy optional SDKs stay external so that they load
// only when a command needs them (and so a test can prove they are not loaded otherwise);
// each command and provider becomes its own chunk through esbuild's code splitting.
import { rmSync } from "node:fs";
import { build } from "esbuild";

// Stale chunks from an earlier build would otherwise pile up beside the new ones.
rmSync("dist/cli", { recursive: true, force: true });

await build({
  // The scan worker is an entry of its own: worker threads load it by file (dist/cli/scan-worker.mjs).
  entryPoints: { coffer: "src/cli/main.ts", "scan-worker": "src/scan/worker.ts" },
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  legalComments: "linked",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  external: ["@aws-sdk/*", "@google-cloud/*", "@grpc/*", "google-gax", "@kubernetes/*", "node-vault", "openpgp", "etcd3"],
  // commander is CommonJS; give the ESM bundle a require() for it.
  banner: { js: "import{createRequire as __cofferRequire}from'node:module';const require=__cofferRequire(import.meta.url);" },
  logLevel: "warning",
});
