/**
 * Splits a command line into words the way a POSIX shell would quote them, without running a
 * shell (no expansion, pipes or redirection): SOPS_AGE_KEY_CMD and SOPS_AGE_SSH_PRIVATE_KEY_CMD are
 * executed directly, as sops does.
 */

/** Returns the words, or throws a plain Error for an unterminated quote or trailing backslash. */
export function splitShellWords(command: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let index = 0;
  while (index < command.length) {
    const char = command[index] as string;
    if (char === "'") {
      const end = command.indexOf("'", index + 1);
      if (end < 0) throw new Error("unterminated single quote");
      current += command.slice(index + 1, end);
      inWord = true;
      index = end + 1;
    } else if (char === '"') {
      index++;
      for (;;) {
        if (index >= command.length) throw new Error("unterminated double quote");
        const inner = command[index] as string;
        if (inner === '"') break;
        if (inner === "\\" && index + 1 < command.length && '"\\$`\n'.includes(command[index + 1] as string)) {
          if (command[index + 1] !== "\n") current += command[index + 1];
          index += 2;
          continue;
        }
        current += inner;
        index++;
      }
      inWord = true;
      index++;
    } else if (char === "\\") {
      if (index + 1 >= command.length) throw new Error("trailing backslash");
      if (command[index + 1] !== "\n") current += command[index + 1];
      inWord = true;
      index += 2;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
      index++;
    } else {
      current += char;
      inWord = true;
      index++;
    }
  }
  if (inWord) words.push(current);
  return words;
}
