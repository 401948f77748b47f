/**
 * pitsim's version, read once from package.json (the single source of truth).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const VERSION: string = (require('../package.json') as { version: string }).version;
