// Chat and collaboration: Slack, Discord, Telegram, Microsoft Teams webhooks.
import { regexRule, type NamedRule } from "../types.js";

export const chatRules: NamedRule[] = [
  regexRule({
    id: "slack-token",
    title: "Slack token (bot, user, app, refresh, config)",
    confidence: "high",
    anchors: ["xox", "xapp-"],
    pattern:
      /(?<![A-Za-z0-9_-])(?:xox[bp]-\d{8,13}-\d{8,13}(?:-\d{8,13})?-[A-Za-z0-9]{24,34}|xox[ars]-\d-[A-Za-z0-9-]{20,}|xoxe(?:\.xox[bp])?-\d-[A-Za-z0-9]{60,}|xapp-\d-[A-Z0-9]{9,12}-\d{10,14}-[a-f0-9]{64})(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "slack-webhook",
    title: "Slack incoming webhook URL",
    confidence: "high",
    anchors: ["hooks.slack.com"],
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{20,}/g,
  }),
  regexRule({
    id: "discord-bot-token",
    title: "Discord bot token",
    confidence: "high",
    anchors: [],
    keyPattern: /discord/,
    // base64 of the bot's numeric id, a timestamp part and an HMAC part.
    pattern: /(?<![A-Za-z0-9_.-])[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}(?![A-Za-z0-9_.-])/g,
    verify: (secret) => {
      const id = Buffer.from(secret.slice(0, secret.indexOf(".")), "base64url").toString("latin1");
      return /^\d{17,20}$/.test(id) ? "high" : false;
    },
  }),
  regexRule({
    id: "discord-webhook",
    title: "Discord webhook URL",
    confidence: "high",
    anchors: ["/api/webhooks/"],
    pattern: /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,70}/g,
  }),
  regexRule({
    id: "telegram-bot-token",
    title: "Telegram bot token",
    confidence: "high",
    anchors: [":AA"],
    pattern: /(?<![A-Za-z0-9_:-])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "teams-webhook",
    title: "Microsoft Teams incoming webhook URL",
    confidence: "high",
    anchors: ["webhook.office.com"],
    pattern: /https:\/\/[a-z0-9-]+\.webhook\.office\.com\/webhookb2\/[A-Za-z0-9@/-]{80,}/g,
  }),
];
