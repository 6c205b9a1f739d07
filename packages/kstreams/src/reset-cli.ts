#!/usr/bin/env node
import { runResetCliProcess } from '@kstreams/reset';

/** `kstreams-reset` from the umbrella package: the same CLI as `@kstreams/reset`'s. */
void runResetCliProcess();
