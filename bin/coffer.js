#!/usr/bin/env node
// The CLI is one bundled file (see scripts/build-cli.mjs): a bundle loads about twice as fast as
// the same modules resolved one by one, and cold start is most of a pre-commit hook's cost.
import "../dist/cli/coffer.mjs";
