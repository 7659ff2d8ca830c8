/** The one place the scanner gets its secret detector from (built once per process). */
import type { SecretDetector } from "./detector.js";
import { createSecretDetector } from "./detect/index.js";

let detector: SecretDetector | undefined;

export function loadDetector(): SecretDetector {
  detector ??= createSecretDetector();
  return detector;
}
