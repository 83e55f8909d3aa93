#!/usr/bin/env node
// The `jiedai` command: the bundled CLI (run `npm run build` first when working from a checkout).
import '../dist/main/cli/jiedai.js';
