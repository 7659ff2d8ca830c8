/**
 * A JSON schema for the parts of SARIF 2.1.0 that the OASIS standard makes required (sarifLog:
 * version, runs; run: tool; tool: driver; toolComponent: name; result: message; message: text or
 * id; location/physicalLocation/artifactLocation/region shapes; reportingDescriptor: id), plus
 * the value constraints on level, startLine and partialFingerprints. Written from the spec's
 * text (sections 3.13-3.52), not copied from the official schema file.
 */
const message = {
  type: "object",
  anyOf: [{ required: ["text"] }, { required: ["id"] }],
  properties: { text: { type: "string" }, id: { type: "string" } },
};

const region = {
  type: "object",
  properties: {
    startLine: { type: "integer", minimum: 1 },
    startColumn: { type: "integer", minimum: 1 },
    endLine: { type: "integer", minimum: 1 },
    endColumn: { type: "integer", minimum: 1 },
  },
};

const artifactLocation = { type: "object", properties: { uri: { type: "string", format: "uri-reference" }, uriBaseId: { type: "string" } } };

const location = {
  type: "object",
  properties: {
    physicalLocation: {
      type: "object",
      anyOf: [{ required: ["artifactLocation"] }, { required: ["address"] }],
      properties: { artifactLocation, region },
    },
  },
};

const level = { enum: ["none", "note", "warning", "error"] };

const reportingDescriptor = {
  type: "object",
  required: ["id"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    shortDescription: message,
    fullDescription: message,
    help: message,
    defaultConfiguration: { type: "object", properties: { level } },
  },
};

const result = {
  type: "object",
  required: ["message"],
  properties: {
    ruleId: { type: "string" },
    ruleIndex: { type: "integer", minimum: -1 },
    level,
    message,
    locations: { type: "array", items: location },
    partialFingerprints: { type: "object", additionalProperties: { type: "string" } },
    fingerprints: { type: "object", additionalProperties: { type: "string" } },
  },
};

export const SARIF_2_1_0_REQUIRED_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  required: ["version", "runs"],
  properties: {
    $schema: { type: "string", format: "uri" },
    version: { const: "2.1.0" },
    runs: {
      type: ["array", "null"],
      items: {
        type: "object",
        required: ["tool"],
        properties: {
          tool: {
            type: "object",
            required: ["driver"],
            properties: {
              driver: {
                type: "object",
                required: ["name"],
                properties: { name: { type: "string" }, version: { type: "string" }, rules: { type: "array", items: reportingDescriptor } },
              },
            },
          },
          results: { type: ["array", "null"], items: result },
        },
      },
    },
  },
};
