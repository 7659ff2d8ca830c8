// Platforms and infrastructure tools: Twilio, Shopify, HashiCorp (Vault, Terraform Cloud), age, Doppler,
// Tailscale, Pulumi, Databricks, Linear, Notion, Figma, 1Password, Heroku.
import { entropy } from "../text.js";
import { keyedOrAssigned, regexRule, type NamedRule } from "../types.js";

const TWILIO_KEY = /twilio/;
const HEROKU_KEY = /heroku/;

export const platformRules: NamedRule[] = [
  regexRule({
    id: "twilio-api-key",
    title: "Twilio API key SID",
    confidence: "medium",
    anchors: ["SK"],
    pattern: /(?<![A-Za-z0-9_])SK[0-9a-f]{32}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "twilio-auth-token",
    title: "Twilio auth token or API secret",
    confidence: "high",
    anchors: [],
    keyPattern: TWILIO_KEY,
    pattern: /(?:^|(?:twilio|TWILIO|Twilio)[A-Za-z_.-]*(?:token|TOKEN|Token|secret|SECRET|Secret)["']?\s*[:=]\s*["']?)(?<secret>[a-f0-9]{32}|[A-Za-z0-9]{32})(?![A-Za-z0-9])/dgm,
    verify: keyedOrAssigned(TWILIO_KEY, (secret) => (entropy(secret) > 3.3 ? "high" : false)),
  }),
  regexRule({
    id: "shopify-token",
    title: "Shopify access token or shared secret",
    confidence: "high",
    anchors: ["shpat_", "shpca_", "shppa_", "shpss_"],
    pattern: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "vault-token",
    title: "HashiCorp Vault token",
    confidence: "high",
    anchors: ["hvs.", "hvb.", "hvr."],
    pattern: /(?<![A-Za-z0-9_.])hv[sbr]\.[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])/g,
    verify: (secret) => (entropy(secret) > 3.5 ? "high" : false),
  }),
  regexRule({
    id: "terraform-cloud-token",
    title: "Terraform Cloud / Enterprise API token",
    confidence: "high",
    anchors: [".atlasv1."],
    pattern: /(?<![A-Za-z0-9_])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/g,
  }),
  regexRule({
    id: "age-secret-key",
    title: "age secret key",
    confidence: "high",
    anchors: ["AGE-SECRET-KEY-1"],
    pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}/g,
  }),
  regexRule({
    id: "doppler-token",
    title: "Doppler token",
    confidence: "high",
    anchors: ["dp."],
    pattern: /(?<![A-Za-z0-9_.])dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9_.-]{40,44}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "tailscale-key",
    title: "Tailscale auth or API key",
    confidence: "high",
    anchors: ["tskey-"],
    pattern: /(?<![A-Za-z0-9_-])tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{8,}-[A-Za-z0-9]{20,}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "pulumi-token",
    title: "Pulumi access token",
    confidence: "high",
    anchors: ["pul-"],
    pattern: /(?<![A-Za-z0-9_-])pul-[a-f0-9]{40}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "databricks-token",
    title: "Databricks personal access token",
    confidence: "high",
    anchors: ["dapi"],
    pattern: /(?<![A-Za-z0-9_-])dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "linear-api-key",
    title: "Linear API key",
    confidence: "high",
    anchors: ["lin_api_"],
    pattern: /(?<![A-Za-z0-9_])lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "notion-token",
    title: "Notion integration token",
    confidence: "high",
    anchors: ["ntn_", "secret_"],
    pattern: /(?<![A-Za-z0-9_])(?:ntn_[0-9]{11}[A-Za-z0-9]{35}|secret_[A-Za-z0-9]{43})(?![A-Za-z0-9_])/g,
    verify: (secret) => (/[0-9]/.test(secret) && /[A-Z]/.test(secret) ? "high" : false),
  }),
  regexRule({
    id: "figma-token",
    title: "Figma personal access token",
    confidence: "high",
    anchors: ["figd_"],
    pattern: /(?<![A-Za-z0-9_])figd_[A-Za-z0-9_-]{40}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "onepassword-service-account-token",
    title: "1Password service account token",
    confidence: "high",
    anchors: ["ops_eyJ"],
    pattern: /(?<![A-Za-z0-9_])ops_eyJ[A-Za-z0-9+/=_-]{250,}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "heroku-api-key",
    title: "Heroku API key",
    confidence: "medium",
    anchors: ["HRKU-"],
    keyPattern: HEROKU_KEY,
    pattern:
      /(?:^|(?:heroku|HEROKU|Heroku)[A-Za-z_.-]*["']?\s*[:=]\s*["']?)(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|HRKU-[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/dgm,
    verify: keyedOrAssigned(HEROKU_KEY, () => "medium"),
  }),
];
