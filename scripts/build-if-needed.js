#!/usr/bin/env node
// `npm start` runs this first: builds dist/ when it is missing or older than any source file.
const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const output = path.join(root, 'dist', 'main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const builtAt = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
if (builtAt < newestMtime(path.join(root, 'src'))) {
  process.stdout.write('Building (dist/ is missing or stale)...\n');
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
}
