// Mail services: SendGrid, Mailgun, Mailchimp, Postmark.
import { keyedOrAssigned, regexRule, type NamedRule } from "../types.js";

const POSTMARK_KEY = /postmark/;

export const mailRules: NamedRule[] = [
  regexRule({
    id: "sendgrid-api-key",
    title: "SendGrid API key",
    confidence: "high",
    anchors: ["SG."],
    pattern: /(?<![A-Za-z0-9_.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "mailgun-api-key",
    title: "Mailgun API key",
    confidence: "high",
    anchors: ["key-"],
    pattern: /(?<![A-Za-z0-9_-])key-[0-9a-f]{32}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "mailchimp-api-key",
    title: "Mailchimp API key",
    confidence: "high",
    anchors: ["-us"],
    pattern: /(?<![A-Za-z0-9_-])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "postmark-token",
    title: "Postmark server or account token",
    confidence: "medium",
    anchors: [],
    keyPattern: POSTMARK_KEY,
    // Postmark tokens are UUIDs: only the key name tells them apart from ordinary ids.
    pattern:
      /(?:^|(?:postmark|POSTMARK|Postmark)[A-Za-z_.-]*["']?\s*[:=]\s*["']?)(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f-])/dgm,
    verify: keyedOrAssigned(POSTMARK_KEY, () => "medium"),
  }),
];
