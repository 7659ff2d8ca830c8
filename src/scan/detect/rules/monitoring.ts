// Monitoring and observability: Datadog, New Relic, Sentry, Grafana.
import { keyedOrAssigned, regexRule, type NamedRule } from "../types.js";

const DATADOG_KEY = /(?:datadog|^dd[_.-]|[_.-]dd[_.-])/;

export const monitoringRules: NamedRule[] = [
  regexRule({
    id: "datadog-api-key",
    title: "Datadog API or application key",
    confidence: "high",
    anchors: [],
    keyPattern: DATADOG_KEY,
    // API keys are 32 hex characters, application keys 40.
    pattern:
      /(?:^|(?:DD[_.-]API[_.-]KEY|DD[_.-]APP(?:LICATION)?[_.-]KEY|dd[_.-]api[_.-]key|dd[_.-]app(?:lication)?[_.-]key|(?:datadog|DATADOG|Datadog)[A-Za-z_.-]*(?:key|KEY|Key))["']?\s*[:=]\s*["']?)(?<secret>[a-f0-9]{40}|[a-f0-9]{32})(?![A-Za-z0-9])/dgm,
    verify: keyedOrAssigned(DATADOG_KEY, () => "high"),
  }),
  regexRule({
    id: "newrelic-key",
    title: "New Relic user, insert, browser or license key",
    confidence: "high",
    anchors: ["NRAK-", "NRII-", "NRJS-", "NRAL"],
    pattern: /(?<![A-Za-z0-9_-])(?:NRAK-[A-Z0-9]{27}|NRII-[A-Za-z0-9_-]{32}|NRJS-[a-f0-9]{19}|[a-f0-9]{36}NRAL)(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "sentry-dsn",
    title: "Sentry DSN",
    confidence: "medium",
    anchors: ["sentry"],
    // The DSN's key lets anyone send events to the project.
    pattern: /https?:\/\/(?<secret>[a-f0-9]{32})(?::[a-f0-9]{32})?@[a-z0-9.-]*sentry[a-z0-9.-]*\/\d+/dg,
  }),
  regexRule({
    id: "sentry-token",
    title: "Sentry auth token",
    confidence: "high",
    anchors: ["sntrys_", "sntryu_"],
    pattern: /(?<![A-Za-z0-9_])(?:sntrys_eyJ[A-Za-z0-9+/=_]{60,}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "grafana-token",
    title: "Grafana service account token, Cloud token or API key",
    confidence: "high",
    anchors: ["glsa_", "glc_", "eyJrIjoi"],
    pattern: /(?<![A-Za-z0-9_])(?:glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}|glc_eyJ[A-Za-z0-9+/=_]{40,400}|eyJrIjoi[A-Za-z0-9+/=]{50,120})(?![A-Za-z0-9_])/g,
  }),
];
