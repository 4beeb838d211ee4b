#!/usr/bin/env node
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const cdk = require("aws-cdk-lib");
const stack_1 = require("../lib/stack");
const app = new cdk.App();
new stack_1.ApiStack(app, 'ApiStack');
//# sourceMappingURL=app.js.map