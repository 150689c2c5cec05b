#!/usr/bin/env node
import { serverProgram } from '../dist/src/main/cli.js';

await serverProgram().parseAsync(process.argv);
