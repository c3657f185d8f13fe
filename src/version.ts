// The package's version, for both CLIs' --version: from the nearest package.json
// above this module (src/, dist/ and the report bundle in dist/cli/ all sit inside
// the package). Read only when --version is given, so start-up does not pay for it.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mnist-report' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep going up
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
