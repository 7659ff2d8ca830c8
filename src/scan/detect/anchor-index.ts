/**
 * Which named rules can match a text: every rule has literal anchors, and an Aho-Corasick automaton
 * over them (a dense transition table) finds every anchor that occurs in one pass over the text's
 * UTF-16 units, one table look-up each, with no candidate to confirm afterwards. Anchors are ASCII,
 * so every unit above 0x7f is simply a character in no anchor.
 */
import type { NamedRule } from "./types.js";

export class AnchorIndex {
  /** ASCII code -> column of the transition table (0: a character in no anchor). */
  private readonly columns = new Uint8Array(128);
  private readonly width: number;
  /** state * width + column -> next state (the automaton's full transition function). */
  private readonly next: Uint16Array;
  /** state -> 1 + index into `outputs` when an anchor ends at this state (or at a suffix of it), else 0. */
  private readonly outputAt: Uint16Array;
  /** The rule indices (and the hint index) of the anchors ending at a state, suffixes included. */
  private readonly outputs: number[][] = [];
  private readonly hintIndex: number;
  /** Rule indices seen in the current select() call (generation-stamped, so never cleared). */
  private readonly seen: Uint32Array;
  private generation = 0;
  /** Whether the last select() saw a hint word. */
  hinted = false;

  /** `hints`: literals that set `hinted` instead of selecting a rule. */
  constructor(rules: readonly NamedRule[], hints: readonly string[]) {
    this.hintIndex = rules.length;
    this.seen = new Uint32Array(rules.length + 1);
    const byAnchor = new Map<string, number[]>();
    const add = (anchor: string, index: number) => {
      if (!/^[\x00-\x7f]{2,}$/.test(anchor)) throw new Error(`anchor ${JSON.stringify(anchor)}: anchors need two or more ASCII characters`);
      byAnchor.set(anchor, [...(byAnchor.get(anchor) ?? []), index]);
    };
    for (const hint of hints) add(hint, rules.length);
    rules.forEach((rule, i) => rule.anchors.forEach((anchor) => add(anchor, i)));

    let width = 1;
    for (const anchor of byAnchor.keys()) {
      for (let k = 0; k < anchor.length; k++) if (this.columns[anchor.charCodeAt(k)] === 0) this.columns[anchor.charCodeAt(k)] = width++;
    }
    this.width = width;

    // The trie: goto[state][column] (0 = none; state 0 is the root), and what ends at each state.
    const goto: number[][] = [new Array<number>(width).fill(0)];
    const ends: number[][] = [[]];
    for (const [anchor, indices] of byAnchor) {
      let state = 0;
      for (let k = 0; k < anchor.length; k++) {
        const column = this.columns[anchor.charCodeAt(k)]!;
        let to = goto[state]![column]!;
        if (to === 0) {
          to = goto.push(new Array<number>(width).fill(0)) - 1;
          ends.push([]);
          goto[state]![column] = to;
        }
        state = to;
      }
      ends[state]!.push(...indices);
    }
    if (goto.length > 0xffff) throw new Error("too many anchor states for the index");

    // Breadth first: failure links, full transitions and outputs merged along the failure chain.
    this.next = new Uint16Array(goto.length * width);
    this.outputAt = new Uint16Array(goto.length);
    const fail = new Array<number>(goto.length).fill(0);
    const queue: number[] = [];
    for (let column = 0; column < width; column++) {
      const to = goto[0]![column]!;
      this.next[column] = to;
      if (to !== 0) queue.push(to);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const merged = [...new Set([...ends[state]!, ...ends[fail[state]!]!])].sort((a, b) => a - b);
      ends[state] = merged;
      if (merged.length > 0) this.outputAt[state] = this.outputs.push(merged);
      for (let column = 0; column < width; column++) {
        const to = goto[state]![column]!;
        const viaFail = this.next[fail[state]! * width + column]!;
        if (to === 0) {
          this.next[state * width + column] = viaFail;
        } else {
          fail[to] = viaFail;
          this.next[state * width + column] = to;
          queue.push(to);
        }
      }
    }
  }

  /** The indices (ascending) of the rules whose anchors occur in the text, or undefined for none. */
  select(text: string): number[] | undefined {
    const { columns, next, outputAt, width } = this;
    let selected: number[] | undefined;
    let generation = 0;
    this.hinted = false;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      state = next[state * width + (code < 128 ? columns[code]! : 0)]!;
      const output = outputAt[state]!;
      if (output === 0) continue;
      if (generation === 0) generation = ++this.generation;
      for (const index of this.outputs[output - 1]!) {
        if (this.seen[index] === generation) continue;
        this.seen[index] = generation;
        if (index === this.hintIndex) this.hinted = true;
        else (selected ??= []).push(index);
      }
    }
    if (selected !== undefined && selected.length > 1) selected.sort((a, b) => a - b);
    return selected;
  }
}
