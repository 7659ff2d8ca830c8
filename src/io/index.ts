/** Safe file I/O for the CLI: size-limited input, crash-safe atomic output. */
export { DEFAULT_MAX_INPUT_BYTES, readInput, readInputFileSync } from "./read-input.js";
export type { ReadInputOptions } from "./read-input.js";
export { DEFAULT_NEW_FILE_MODE, writeFileAtomic, writeNewFileExclusive } from "./write-atomic.js";
export type { WriteFileAtomicOptions } from "./write-atomic.js";
