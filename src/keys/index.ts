/** Key management: plan a key change for a file (pure), then apply it with one executor. */
export { formatPlan, planKeyUpdate, planRotation } from "./plan.js";
export type { GroupChange, KeyUpdatePlan, RotationKeyChanges, WantedKeys } from "./plan.js";
export { applyKeyUpdate, rotateFile, updateFileKeys } from "./execute.js";
export type { ApplyKeyPlanOptions } from "./execute.js";
export { stanzaIdentity, stanzaName, templateOf } from "./stanza-identity.js";
export { mapWithConcurrency } from "./concurrency.js";
