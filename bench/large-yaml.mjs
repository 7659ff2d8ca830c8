// A 5 MB YAML with 50,000 values: encrypt and decrypt in memory, against parsing and emitting the
// same file with the `yaml` package alone (the floor: the YAML layer costs ~700x the AES per byte).
// Goal (issue #2): each within 1.5x.
import { parseDocument } from "yaml";
import { decrypt, encrypt } from "../dist/src/index.js";
import { createAgeProvider, generateAgeIdentity, parseAgeIdentities } from "../dist/providers/age/index.js";
import { compare } from "./lib.mjs";

function largeYaml() {
  const lines = [];
  for (let s = 0; s < 1000; s++) {
    lines.push(`service_${s}:`, `    # settings of service ${s}`);
    for (let k = 0; k < 50; k++) {
      lines.push(`    secret_${k}: ${"v".repeat(66)}-${s}-${k}-${Math.random().toString(36).slice(2, 12)}`);
    }
  }
  return lines.join("\n") + "\n";
}

export async function benchLargeYaml() {
  const text = largeYaml();
  const bytes = new TextEncoder().encode(text);
  const generated = await generateAgeIdentity({});
  const provider = createAgeProvider({ identities: (await parseAgeIdentities(generated.fileText, "bench")).identities });
  const keyGroups = [[{ type: "age", fields: (await import("../dist/src/core/tree.js")).TreeMap.from({ recipient: generated.recipient }) }]];
  const options = { format: "yaml", keyGroups, providers: [provider] };
  const encrypted = await encrypt(bytes, options);
  const baseline = () => parseDocument(text).toString();
  const mb = (bytes.length / 1e6).toFixed(1);
  const enc = await compare({ runs: 5, warmup: 1, subject: () => encrypt(bytes, options), baseline });
  const dec = await compare({ runs: 5, warmup: 1, subject: () => decrypt(encrypted, { format: "yaml", providers: [provider] }), baseline });
  return [
    { name: `encrypt ${mb} MB YAML, 50,000 values`, ...enc, baselineName: "yaml parse+emit", goal: 1.5 },
    { name: `decrypt ${mb} MB YAML, 50,000 values`, ...dec, baselineName: "yaml parse+emit", goal: 1.5 },
  ];
}
