import { bootstrap, exitOnStartupError } from './bootstrap.js';

bootstrap().catch(exitOnStartupError);
