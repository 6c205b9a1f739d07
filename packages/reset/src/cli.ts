#!/usr/bin/env node
import { runResetCliProcess } from './reset-cli.js';

/** `kstreams-reset`: resets a kstreams application for reprocessing (see `kstreams-reset --help`). */
void runResetCliProcess();
