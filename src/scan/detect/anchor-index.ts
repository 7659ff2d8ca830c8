/**
 * Which named rules can match a text: every rule has literal anchors, and an Aho-Corasick automaton
 * over them (a dense transition table) finds every anchor that occurs in one pass over the text's
 * UTF-16 units, one table look-up each, with no candidate to confirm afterwards. Anchors are ASCII,
 * so every unit above 0x7f is simply a character in no anchor.
 */
import type { NamedRule } from "./types.js";

/** A transition not computed yet. */
const UNSET = 0xffff;

export class AnchorIndex {
  /** ASCII code -> column of the transition table (0: a character in no anchor). */
  private readonly columns = new Uint8Array(128);
  private readonly width: number;
  /** state * width + column -> next state (the automaton's full transition function; UNSET until first needed). */
  private readonly next: Uint16Array;
  /** The trie's own edges (0: none) and each state's failure link. */
  private readonly goto: Uint16Array;
  private readonly fail: Uint16Array;
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

    // The trie: goto[state * width + column] (0 = none; state 0 is the root), each state's children,
    // and what ends at each state. Linear in the anchors' total length: construction stays cheap
    // (the full transition table is filled in lazily, by select()).
    const states = 1 + [...byAnchor.keys()].reduce((sum, anchor) => sum + anchor.length, 0);
    if (states >= UNSET) throw new Error("too many anchor states for the index");
    const goto = new Uint16Array(states * width);
    const children: number[][] = [[]];
    const ends: number[][] = [[]];
    for (const [anchor, indices] of byAnchor) {
      let state = 0;
      for (let k = 0; k < anchor.length; k++) {
        const column = this.columns[anchor.charCodeAt(k)]!;
        let to = goto[state * width + column]!;
        if (to === 0) {
          to = children.push([]) - 1;
          ends.push([]);
          goto[state * width + column] = to;
          children[state]!.push(column);
        }
        state = to;
      }
      ends[state]!.push(...indices);
    }

    // Breadth first: failure links (the longest proper suffix that is also a trie state) and the
    // outputs merged along them.
    const count = children.length;
    this.fail = new Uint16Array(count);
    this.goto = goto;
    this.outputAt = new Uint16Array(count);
    this.next = new Uint16Array(count * width).fill(UNSET);
    const queue = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const column of children[state]!) {
        const child = goto[state * width + column]!;
        this.fail[child] = state === 0 ? 0 : this.transition(this.fail[state]!, column);
        const merged = [...new Set([...ends[child]!, ...ends[this.fail[child]!]!])].sort((a, b) => a - b);
        ends[child] = merged;
        if (merged.length > 0) this.outputAt[child] = this.outputs.push(merged);
        queue.push(child);
      }
    }
  }

  /** The automaton's move from `state` on `column`, computed once and kept in `next`. */
  private transition(state: number, column: number): number {
    const cell = state * this.width + column;
    let to = this.next[cell]!;
    if (to === UNSET) {
      to = this.goto[cell]!;
      if (to === 0 && state !== 0) to = this.transition(this.fail[state]!, column);
      this.next[cell] = to;
    }
    return to;
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
      const column = code < 128 ? columns[code]! : 0;
      const to = next[state * width + column]!;
      state = to !== UNSET ? to : this.transition(state, column);
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
