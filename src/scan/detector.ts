/**
 * The contract between the secret detectors (src/scan/detect/) and the scanner that walks
 * manifests and clusters (src/scan/). The scanner hands over one key/value at a time; the
 * detectors say which credential, if any, the value holds. Detectors are pure and synchronous.
 */

export type Confidence = "high" | "medium" | "low";

/** One value to examine, with the key it sits under (when there is one). */
export interface ScanCandidate {
  /** The key name: a ConfigMap key, an env var name, an annotation name, a JSON field... */
  key?: string | undefined;
  value: string;
}

/** A credential found in a candidate's value. */
export interface Detection {
  /** Stable rule id, e.g. "aws-access-key-id", "private-key-pem", "generic-password". */
  ruleId: string;
  confidence: Confidence;
  /** Where the credential sits in the (possibly decoded) value: [start, end) in characters. */
  start: number;
  end: number;
  /** The matched text (the secret itself): for redaction and fingerprints only, never printed. */
  match: string;
  /** Set when the credential was found after decoding the value, e.g. "base64". */
  decodedFrom?: "base64" | undefined;
}

/** What a rule is, for SARIF rule lists, `--help` and the README. */
export interface DetectorRule {
  id: string;
  title: string;
  /** What to do about a finding. */
  help: string;
  /** "high" for verified formats (prefix + checksum/shape), lower for key-name + entropy rules. */
  confidence: Confidence;
}

export interface SecretDetector {
  /** Every credential in the candidate (an empty list for none). */
  detect(candidate: ScanCandidate): Detection[];
  readonly rules: readonly DetectorRule[];
}
