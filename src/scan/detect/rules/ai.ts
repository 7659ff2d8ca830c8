// AI platforms: OpenAI, Anthropic, Hugging Face, Groq, Replicate.
import { regexRule, type NamedRule } from "../types.js";

export const aiRules: NamedRule[] = [
  regexRule({
    id: "openai-api-key",
    title: "OpenAI API key",
    confidence: "high",
    anchors: ["T3BlbkFJ"],
    // Keys embed "T3BlbkFJ" (base64 of "OpenAI") between two random parts.
    pattern: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{20,156}T3BlbkFJ[A-Za-z0-9_-]{20,156}(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "anthropic-api-key",
    title: "Anthropic API key",
    confidence: "high",
    anchors: ["sk-ant-"],
    pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)\d\d-[A-Za-z0-9_-]{80,100}AA(?![A-Za-z0-9_-])/g,
  }),
  regexRule({
    id: "huggingface-token",
    title: "Hugging Face access token",
    confidence: "high",
    anchors: ["hf_"],
    pattern: /(?<![A-Za-z0-9_])hf_[A-Za-z]{34}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "groq-api-key",
    title: "Groq API key",
    confidence: "high",
    anchors: ["gsk_"],
    pattern: /(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{52}(?![A-Za-z0-9_])/g,
  }),
  regexRule({
    id: "replicate-api-token",
    title: "Replicate API token",
    confidence: "high",
    anchors: ["r8_"],
    pattern: /(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9_])/g,
  }),
];
