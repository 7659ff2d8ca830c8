/** The cases of test/vectors/encryption-config/index.yaml (see the comment at its top). */
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export interface VectorCase {
  file: string;
  valid: boolean;
  errors?: string[];
  findings: string[];
  secretsEncrypted?: boolean;
  kubeVersion?: string;
  automaticReload?: boolean;
  real120?: "valid" | "invalid";
}

export const VECTOR_DIR = new URL("../../vectors/encryption-config/", import.meta.url);
export const vectorCases = parse(readFileSync(new URL("index.yaml", VECTOR_DIR), "utf8")) as VectorCase[];
