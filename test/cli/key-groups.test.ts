/**
 * Key groups with Shamir: a file whose data key is split over three groups (age, AWS KMS, Vault)
 * with threshold 2 decrypts whenever any two groups are available and is refused with one.
 * A group is made unavailable with wrong credentials, never missing ones: without credentials the
 * AWS SDK's default chain would try the instance metadata address, which tests must not contact.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshHome, runCofferAsync } from "../helpers/cli.js";
import { startAwsKmsFake } from "../fakes/aws-kms/server.js";
import { startVaultFake } from "../fakes/vault/server.js";

let aws: Awaited<ReturnType<typeof startAwsKmsFake>>;
let vault: Awaited<ReturnType<typeof startVaultFake>>;
let project: string;
let keyFile: string;
let encrypted: string;

const groups = {
  age: (on: boolean) => ({ SOPS_AGE_KEY_FILE: on ? keyFile : "/dev/null" }),
  kms: (on: boolean) => ({
    AWS_ACCESS_KEY_ID: on ? aws.credentials.accessKeyId : "AKIAWRONGWRONGWRONG0",
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_KMS: aws.url,
    AWS_EC2_METADATA_DISABLED: "true",
  }),
  vault: (on: boolean) => ({ VAULT_TOKEN: on ? vault.rootToken : "hvs.wrong" }),
};

function envWith(available: Array<keyof typeof groups>): Record<string, string> {
  return Object.assign({ HOME: project }, ...Object.entries(groups).map(([name, env]) => env(available.includes(name as keyof typeof groups))));
}

beforeAll(async () => {
  aws = await startAwsKmsFake();
  vault = await startVaultFake();
  vault.createKey("transit", "groups");
  const key = aws.createKey({ alias: "groups" });
  project = freshHome();
  keyFile = join(project, "age.txt");
  const made = await runCofferAsync(["keygen", "-o", keyFile], { env: { HOME: project } });
  const recipient = made.stdout.trim();
  mkdirSync(join(project, "secrets"));
  writeFileSync(
    join(project, ".sops.yaml"),
    `creation_rules:
  - path_regex: secrets/
    shamir_threshold: 2
    key_groups:
      - age: [${recipient}]
      - kms:
          - arn: ${key.arn}
      - hc_vault: [${vault.url}/v1/transit/keys/groups]
`,
  );
  writeFileSync(join(project, "secrets", "app.yaml"), "password: hunter2\nport: 5432\n");
  const enc = await runCofferAsync(["encrypt", "secrets/app.yaml"], { env: envWith(["age", "kms", "vault"]), cwd: project });
  expect(enc.status, enc.stderr).toBe(0);
  encrypted = enc.stdout;
});

afterAll(async () => {
  await aws.close();
  await vault.close();
});

describe("three key groups, threshold 2", () => {
  it("are written as key_groups with shamir_threshold", () => {
    const sops = (parseYaml(encrypted) as { sops: Record<string, unknown> }).sops;
    expect(sops.shamir_threshold).toBe(2);
    const keyGroups = sops.key_groups as Array<Record<string, unknown>>;
    expect(keyGroups.map((group) => Object.keys(group).filter((k) => (group[k] as unknown[] | null)?.length))).toEqual([["age"], ["kms"], ["hc_vault"]]);
    expect(sops.age).toBeUndefined();
  });

  for (const pair of [["age", "kms"], ["age", "vault"], ["kms", "vault"]] as const) {
    it(`decrypt with only ${pair.join(" + ")}`, async () => {
      const dec = await runCofferAsync(["decrypt", "--input-type", "yaml", "-"], { env: envWith([...pair]), input: encrypted });
      expect(dec.status, dec.stderr).toBe(0);
      expect(dec.stdout).toBe("password: hunter2\nport: 5432\n");
    });
  }

  it("refuse with only one group, naming every key tried", async () => {
    const dec = await runCofferAsync(["decrypt", "--input-type", "yaml", "-"], { env: envWith(["kms"]), input: encrypted });
    expect(dec.status).toBe(128);
    expect(dec.stdout).toBe("");
    expect(dec.stderr).toMatch(/^coffer:   age /m);
    expect(dec.stderr).toMatch(/^coffer:   hc_vault /m);
  });
});
